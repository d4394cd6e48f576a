// Hostile OAI-PMH responses: DTDs with entity expansion ("billion laughs"), external
// entities (XXE) and a page far bigger than any real one. None may expand, read a file or
// crash; see also the libFuzzer target tests/fuzz/fuzz_oai_page.cpp.
#include <gtest/gtest.h>

#include <string>

#include "connectors/oai_pmh/oai_page.hpp"

namespace bzpeer::oai {
namespace {

/// An arXivRaw ListRecords page with one record whose title is `title`, preceded by `dtd`.
std::string page_with(const std::string& dtd, const std::string& title) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>)" + dtd +
         R"(<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">)"
         R"(<responseDate>2024-01-02T00:00:00Z</responseDate><ListRecords><record><header>)"
         R"(<identifier>oai:arXiv.org:1102.0541</identifier><datestamp>2011-03-12</datestamp>)"
         R"(</header><metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">)"
         R"(<id>1102.0541</id><title>)" +
         title + R"(</title></arXivRaw></metadata></record></ListRecords></OAI-PMH>)";
}

/// Ten levels of ten-fold expansion: 10^9 copies of "lol" if a parser expanded it.
std::string billion_laughs_dtd() {
  std::string dtd = "<!DOCTYPE OAI-PMH [<!ENTITY lol0 \"lol\">";
  for (int level = 1; level <= 9; ++level) {
    dtd += "<!ENTITY lol" + std::to_string(level) + " \"";
    for (int i = 0; i < 10; ++i) dtd += "&lol" + std::to_string(level - 1) + ";";
    dtd += "\">";
  }
  return dtd + "]>";
}

TEST(OaiHostile, BillionLaughsIsNotExpanded) {
  const std::string xml = page_with(billion_laughs_dtd(), "A &lol9; title");
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  // pugixml ignores the DTD: the page parses, and the undefined entity stays as written.
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->records.size(), 1u);
  const std::string& payload = page->records[0].payload;
  EXPECT_LT(payload.size(), 1000u);
  EXPECT_NE(payload.find("&amp;lol9;"), std::string::npos) << payload;
  EXPECT_EQ(payload.find("lollol"), std::string::npos);
}

TEST(OaiHostile, EntityReferenceInAttributeIsNotExpandedEither) {
  std::string xml = page_with(billion_laughs_dtd(), "t");
  xml.replace(xml.find("<id>"), 4, "<id a=\"&lol9;\">");
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_LT(page->records[0].payload.size(), 1000u);
}

TEST(OaiHostile, ExternalEntityIsNeverRead) {
  const std::string xml =
      page_with(R"(<!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)", "&xxe;");
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].payload.find("root:"), std::string::npos);
  EXPECT_NE(page->records[0].payload.find("&amp;xxe;"), std::string::npos);
}

TEST(OaiHostile, ParameterEntitiesInTheDtdAreIgnored) {
  const std::string xml = page_with(
      R"(<!DOCTYPE OAI-PMH [<!ENTITY % ext SYSTEM "http://127.0.0.1:1/evil.dtd"> %ext;]>)", "t");
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->records.size(), 1u);
}

TEST(OaiHostile, MalformedDoctypeIsAParseErrorNotACrash) {
  const std::string xml = page_with("<!DOCTYPE OAI-PMH [<!ENTITY a \"", "t");
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::parse);
  EXPECT_FALSE(is_well_formed_xml(xml));
}

TEST(OaiHostile, TenThousandRecordsOfJunkAreParsedInBoundedMemory) {
  // 10,000 records with 1 KB titles: ~11 MB, four times arXiv's largest page. Each
  // payload is its own record, nothing is duplicated per record beyond its own bytes.
  std::string records;
  const std::string title(1000, 'x');
  for (int i = 0; i < 10000; ++i) {
    records += "<record><header><identifier>oai:x:" + std::to_string(i) +
               "</identifier><datestamp>2011-01-01</datestamp></header><metadata><arXivRaw>"
               "<title>" +
               title + "</title></arXivRaw></metadata></record>";
  }
  const std::string xml = R"(<OAI-PMH><responseDate>2024-01-02</responseDate><ListRecords>)" +
                          records + "</ListRecords></OAI-PMH>";
  const auto page = parse_oai_page(xml, "arxiv", "arXivRaw");
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->records.size(), 10000u);
  std::size_t payload_bytes = 0;
  for (const auto& record : page->records) payload_bytes += record.payload.size();
  EXPECT_LT(payload_bytes, xml.size());
}

}  // namespace
}  // namespace bzpeer::oai
