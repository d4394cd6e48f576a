// libFuzzer target: one OAI-PMH response page (parse_oai_page), then every record it
// yields through the three OAI metadata mappers (arXivRaw, arXiv, oai_dc).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

void check_mapped(const bzpeer::Result<bzpeer::Work>& work) {
  if (work) {
    bzpeer::fuzz::check_work(*work);
  } else {
    bzpeer::fuzz::require(!work.error().message.empty(), "mapping error without a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bzpeer::fuzz::require;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> skipped;
  const auto page = bzpeer::oai::parse_oai_page(xml, "fuzz", "arXivRaw", &skipped);
  if (!page) {
    require(page.error().code == bzpeer::ErrorCode::parse, "page error is not a parse error");
    require(!page.error().message.empty(), "page error without a message");
    return 0;
  }
  require(bzpeer::oai::is_well_formed_xml(std::string(xml)), "parsed a malformed page");
  require(skipped == page->skipped, "skipped lines differ");
  for (const bzpeer::SourceRecord& record : page->records) {
    require(!record.source_id.empty(), "record without identifier");
    require(!record.datestamp.empty(), "record without datestamp");
    if (record.deleted) {
      require(record.payload.empty(), "deleted record with a payload");
      continue;
    }
    if (record.payload.empty()) continue;  // a ListIdentifiers header
    check_mapped(bzpeer::parse::map_arxiv_raw(record.payload));
    check_mapped(bzpeer::parse::map_arxiv(record.payload));
    check_mapped(bzpeer::parse::map_oai_dc(record.payload, record.source_id));
  }
  return 0;
}
