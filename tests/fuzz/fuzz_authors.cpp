// libFuzzer target: the arXiv author-string parser (parse_arxiv_authors) and the
// single-name splitter it uses (parse_person_name).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline/normalise/names.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bzpeer::fuzz::require;
  using bzpeer::fuzz::valid_utf8;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool utf8_in = valid_utf8(text);
  for (const auto& name : bzpeer::normalise::parse_arxiv_authors(text)) {
    // Names reach the store, the index and the API: valid UTF-8 in, valid UTF-8 out.
    if (utf8_in) {
      require(valid_utf8(name.printed), "printed name is not UTF-8");
      require(valid_utf8(name.given), "given name is not UTF-8");
      require(valid_utf8(name.family), "family name is not UTF-8");
      require(valid_utf8(name.affiliation), "affiliation is not UTF-8");
    }
    require(!name.is_collaboration || !name.family.empty(), "collaboration without a name");
  }
  const auto single = bzpeer::normalise::parse_person_name(text);
  if (utf8_in) require(valid_utf8(single.printed), "printed name is not UTF-8");
  return 0;
}
