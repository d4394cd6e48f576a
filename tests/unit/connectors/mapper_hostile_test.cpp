// Hostile records for the payload mappers: deeply nested and giant JSON, invalid UTF-8,
// XML entity tricks. Each is refused with an error naming the record kind and the problem,
// or mapped with every text field valid UTF-8; never a crash, a hang or an expansion.
#include <gtest/gtest.h>

#include <string>

#include "pipeline/parse/json_mapping.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace bzpeer::parse {
namespace {

using fuzz::valid_utf8;

std::string nested(int levels, const std::string& open, const std::string& close) {
  std::string text;
  for (int i = 0; i < levels; ++i) text += open;
  for (int i = 0; i < levels; ++i) text += close;
  return text;
}

TEST(MapperHostile, DeeplyNestedJsonIsRefusedByEveryJsonMapper) {
  const std::string deep = nested(100000, "[", "]");
  const auto crossref = map_crossref(R"({"DOI":"10.1234/x","title":)" + deep + "}");
  ASSERT_FALSE(crossref);
  EXPECT_EQ(crossref.error().code, ErrorCode::mapping);
  EXPECT_NE(crossref.error().message.find("Crossref item nests arrays and objects deeper than 64"),
            std::string::npos)
      << crossref.error().message;

  const auto openalex =
      map_openalex(R"({"id":"https://openalex.org/W1","x":)" + nested(5000, "{\"a\":", "}") + "}");
  ASSERT_FALSE(openalex);
  EXPECT_NE(openalex.error().message.find("OpenAlex work nests"), std::string::npos)
      << openalex.error().message;

  const auto snapshot =
      map_arxiv_snapshot(R"({"id":"0704.0001","authors_parsed":)" + nested(65, "[", "]") + "}");
  ASSERT_FALSE(snapshot);
  EXPECT_NE(snapshot.error().message.find("snapshot line nests"), std::string::npos)
      << snapshot.error().message;
}

TEST(MapperHostile, NestingUpToTheLimitAndBracketsInStringsAreFine) {
  // 63 levels inside the record's own object: 64 in all, exactly the limit.
  const auto deep_ok =
      map_crossref(R"({"DOI":"10.1234/x","title":["t"],"x":)" + nested(63, "[", "]") + "}");
  ASSERT_TRUE(deep_ok) << deep_ok.error().describe();
  // Brackets and escaped quotes inside strings are text, not nesting.
  const std::string brackets(1000, '[');
  const auto in_string = map_crossref(R"({"DOI":"10.1234/x","title":["\")" + brackets + R"(\""]})");
  ASSERT_TRUE(in_string) << in_string.error().describe();
  EXPECT_EQ(in_string->title, "\"" + brackets + "\"");
}

TEST(MapperHostile, GiantJsonRecordIsRefusedBeforeParsing) {
  const std::string giant = R"({"DOI":"10.1234/x","title":["t"],"abstract":")" +
                            std::string(detail::kMaxJsonRecordBytes, 'a') + R"("})";
  for (const auto& result : {map_crossref(giant), map_openalex(giant), map_arxiv_snapshot(giant)}) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::mapping);
    EXPECT_NE(result.error().message.find(std::to_string(giant.size()) +
                                          " bytes, over the limit of 33554432 bytes"),
              std::string::npos)
        << result.error().message;
  }
}

TEST(MapperHostile, InvalidUtf8InJsonRefusesTheRecord) {
  // JSON must be UTF-8 (RFC 8259): simdjson validates the whole record.
  const auto work = map_crossref("{\"DOI\":\"10.1/x\",\"title\":[\"caf\xE9\"]}");
  ASSERT_FALSE(work);
  EXPECT_EQ(work.error().code, ErrorCode::mapping);
  EXPECT_NE(work.error().message.find("Crossref item is not valid JSON"), std::string::npos)
      << work.error().message;
  const auto line = map_arxiv_snapshot("{\"id\":\"0704.0001\",\"title\":\"\xC3\x28\"}");
  ASSERT_FALSE(line);
  EXPECT_NE(line.error().message.find("snapshot line is not a valid JSON object"),
            std::string::npos);
}

TEST(MapperHostile, InvalidUtf8InXmlFieldsIsReplacedPerField) {
  // Latin-1 bytes and a truncated sequence in an arXivRaw record (pugixml does not check
  // encodings): the fields come out as UTF-8 with U+FFFD where the bytes were.
  const std::string payload =
      "<arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\"><id>1102.0541</id>"
      "<title>Caf\xE9 society \xE2\x82</title><authors>Jos\xE9 Garc\xED"
      "a and B. Smith</authors>"
      "<abstract>Broken \xFF\xFE bytes</abstract>"
      "<version version=\"v1\"><date>Wed, 2 Feb 2011 20:51:23 GMT</date><size>1kb</size>"
      "<source_type>D</source_type></version><categories>astro-ph.EP</categories></arXivRaw>";
  const auto work = map_arxiv_raw(payload);
  ASSERT_TRUE(work) << work.error().describe();
  EXPECT_TRUE(valid_utf8(work->title)) << work->title;
  EXPECT_NE(work->title.find("Caf\xEF\xBF\xBD society"), std::string::npos) << work->title;
  EXPECT_TRUE(valid_utf8(work->abstract));
  EXPECT_NE(work->abstract.find("\xEF\xBF\xBD"), std::string::npos);
  ASSERT_EQ(work->authors.size(), 2u);
  for (const auto& author : work->authors) {
    EXPECT_TRUE(valid_utf8(author.printed)) << author.printed;
    EXPECT_TRUE(valid_utf8(author.family)) << author.family;
    EXPECT_TRUE(valid_utf8(author.given)) << author.given;
  }
  EXPECT_EQ(work->authors[1].family, "Smith");
}

TEST(MapperHostile, XmlRecordWithDtdEntitiesIsNotExpanded) {
  std::string dtd = "<!DOCTYPE arXivRaw [<!ENTITY a0 \"lol\">";
  for (int level = 1; level <= 9; ++level) {
    dtd += "<!ENTITY a" + std::to_string(level) + " \"";
    for (int i = 0; i < 10; ++i) dtd += "&a" + std::to_string(level - 1) + ";";
    dtd += "\">";
  }
  dtd += "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
  const std::string payload =
      dtd +
      "<arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\"><id>1102.0541</id>"
      "<title>Laughs &a9; and &xxe;</title><authors>A. Author</authors>"
      "<version version=\"v1\"><date>Wed, 2 Feb 2011 20:51:23 GMT</date></version></arXivRaw>";
  const auto work = map_arxiv_raw(payload);
  ASSERT_TRUE(work) << work.error().describe();
  EXPECT_LT(work->title.size(), 100u) << work->title.substr(0, 200);
  EXPECT_EQ(work->title.find("lollol"), std::string::npos);
  EXPECT_EQ(work->title.find("root:"), std::string::npos);
}

// Found by tests/fuzz/fuzz_oai_page (crash-5ca5879f…, minimised): an oai_dc journal
// reference (a dc:identifier) with a byte that is not UTF-8 was passed on unchanged.
TEST(MapperHostile, FuzzRegressionOaiDcJournalRefWithInvalidUtf8) {
  const std::string payload =
      "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:title>A combinatorial invariant for Spherical CR structures</dc:title>"
      "<dc:creator>Wang, Qingx\x8b\x9f</dc:creator>"
      "<dc:identifier>http://arxiv.org/abs/1007.5228</dc:identifier>"
      "<dc:identifier>Asian Journal o\x90 Math. 17 (2013), no. 3, 391-422</dc:identifier>"
      "<dc:date>2010-07-29</dc:date></oai_dc:dc>";
  const auto work = map_oai_dc(payload, "oai:arXiv.org:1007.5228");
  ASSERT_TRUE(work) << work.error().describe();
  EXPECT_EQ(work->journal_ref, "Asian Journal o\xEF\xBF\xBD Math. 17 (2013), no. 3, 391-422");
  ASSERT_EQ(work->authors.size(), 1u);
  EXPECT_TRUE(valid_utf8(work->authors[0].printed)) << work->authors[0].printed;
}

// The same for the comments, license and categories of an arXiv-format record.
TEST(MapperHostile, InvalidUtf8InArxivCommentsLicenseAndCategoriesIsReplaced) {
  const std::string payload =
      "<arXiv xmlns=\"http://arxiv.org/OAI/arXiv/\"><id>1102.0541</id><created>2011-02-02</created>"
      "<authors><author><keyname>Borucki</keyname><forenames>W.</forenames></author></authors>"
      "<title>T</title><categories>astro-ph.EP \xFF</categories><comments>10 pages\xC3</comments>"
      "<journal-ref>ApJ\xE2\x82 736</journal-ref><license>http://x.org/\xFE</license></arXiv>";
  const auto work = map_arxiv(payload);
  ASSERT_TRUE(work) << work.error().describe();
  EXPECT_TRUE(valid_utf8(work->comments)) << work->comments;
  EXPECT_TRUE(valid_utf8(work->journal_ref)) << work->journal_ref;
  EXPECT_TRUE(valid_utf8(work->license)) << work->license;
  for (const auto& c : work->categories) EXPECT_TRUE(valid_utf8(c)) << c;
}

}  // namespace
}  // namespace bzpeer::parse
