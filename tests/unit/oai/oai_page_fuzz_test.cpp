// Robustness of parse_oai_page: mutated real pages, random bytes, pathological nesting.
// Deterministic (fixed seeds) so failures reproduce; run under ASan/UBSan as well.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "oai_test_support.hpp"

namespace bzpeer::oai {
namespace {

/// Checks the invariants that must hold for any input; returns true when it parsed.
bool check_invariants(const std::string& input) {
  std::vector<std::string> skipped;
  const auto page = parse_oai_page(input, "fuzz", "f", &skipped);
  if (!page) {
    EXPECT_EQ(page.error().code, ErrorCode::parse);
    EXPECT_FALSE(page.error().message.empty());
    EXPECT_FALSE(is_well_formed_xml(input) && page.error().message.starts_with("not well-formed"));
    return false;
  }
  EXPECT_TRUE(is_well_formed_xml(input));
  EXPECT_EQ(skipped, page->skipped);
  for (const SourceRecord& record : page->records) {
    EXPECT_FALSE(record.source_id.empty());
    EXPECT_FALSE(record.datestamp.empty());
    EXPECT_EQ(record.source, "fuzz");
    if (record.deleted) {
      EXPECT_TRUE(record.payload.empty());
    } else if (!record.payload.empty()) {  // ListIdentifiers headers have no payload
      pugi::xml_document doc;
      EXPECT_TRUE(doc.load_buffer(record.payload.data(), record.payload.size()))
          << record.payload.substr(0, 200);
    }
  }
  return true;
}

std::string mutate(std::string text, std::mt19937& rng) {
  static const std::string kInteresting =
      std::string("<>/=\"'&;:! \n\t?[]-", 17) + '\0' + "\x01\xff\xfe\xef\xbb\xbf";
  const auto pick = [&](std::size_t bound) {
    return bound == 0 ? std::size_t{0}
                      : std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng);
  };
  const int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = pick(text.size() + 1);
    switch (pick(6)) {
      case 0:  // flip a byte
        if (!text.empty()) text[pick(text.size())] = static_cast<char>(pick(256));
        break;
      case 1:  // insert an interesting character
        text.insert(at, 1, kInteresting[pick(kInteresting.size())]);
        break;
      case 2:  // delete a range
        if (at < text.size()) text.erase(at, 1 + pick(64));
        break;
      case 3:  // duplicate a range somewhere else
        if (at < text.size()) {
          const std::string piece = text.substr(at, 1 + pick(200));
          text.insert(pick(text.size() + 1), piece);
        }
        break;
      case 4:  // truncate
        text.resize(pick(text.size() + 1));
        break;
      default:  // swap two bytes
        if (text.size() > 1) std::swap(text[pick(text.size())], text[pick(text.size())]);
        break;
    }
  }
  return text;
}

TEST(OaiPageFuzz, MutatedRecordedPagesNeverCrash) {
  const std::vector<std::string> seeds = {
      test::read_fixture(
          "arxivraw-real/mikesaelim_ListRecords_arXivRaw_from2014-10-01_truncated.xml"),
      test::read_fixture("arxiv-hepcrawl/hepcrawl_GetRecord_arXiv_sample0.xml"),
      test::read_fixture("generic-scrapi/scrapi_spdataverse_ListRecords_page1.xml"),
      test::read_fixture("sickle/sickle_ListRecords4.xml"),
      test::read_fixture("sickle/sickle_ListIdentifiers.xml"),
      test::read_fixture("errors/sickle_idDoesNotExist.xml"),
      R"(<oai:OAI-PMH xmlns:oai="http://www.openarchives.org/OAI/2.0/" xmlns:p="urn:p"><oai:ListRecords>)"
      R"(<oai:record><oai:header><oai:identifier>i</oai:identifier><oai:datestamp>d</oai:datestamp>)"
      R"(</oai:header><oai:metadata><p:m p:a="1"><p:n xsi:type="p:t"/></p:m></oai:metadata></oai:record>)"
      R"(<oai:resumptionToken cursor="1">t</oai:resumptionToken></oai:ListRecords></oai:OAI-PMH>)",
  };
  std::mt19937 rng(20240501u);
  int parsed = 0;
  int total = 0;
  // BZPEER_FUZZ_ROUNDS raises the number of rounds for a longer local run.
  const char* env = std::getenv("BZPEER_FUZZ_ROUNDS");
  const int rounds = env != nullptr ? std::max(1, std::atoi(env)) : 400;
  for (int round = 0; round < rounds; ++round) {
    for (const std::string& seed : seeds) {
      const std::string input = mutate(seed, rng);
      SCOPED_TRACE("round " + std::to_string(round));
      parsed += check_invariants(input) ? 1 : 0;
      ++total;
    }
  }
  // Both paths must be exercised for the test to mean anything.
  EXPECT_GT(parsed, total / 20);
  EXPECT_LT(parsed, total);
}

TEST(OaiPageFuzz, RandomBytesNeverCrash) {
  std::mt19937 rng(7u);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 4096);
  for (int i = 0; i < 500; ++i) {
    std::string input(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : input) c = static_cast<char>(byte(rng));
    if (i % 2 == 0) input = "<OAI-PMH>" + input;  // get past the first byte sometimes
    check_invariants(input);
  }
  for (const std::string& odd :
       {std::string("\xFF\xFE<\0O\0", 6), std::string("\xFE\xFF\0<", 4), std::string("\0\0\0<", 4),
        std::string("<OAI-PMH>\0</OAI-PMH>", 20), std::string("<OAI-PMH/>\0", 11),
        std::string("<?xml version='1.0' encoding='ISO-8859-1'?><OAI-PMH>\xe9</OAI-PMH>")}) {
    check_invariants(odd);
  }
}

TEST(OaiPageFuzz, DeepNestingInPayloadAndEnvelope) {
  constexpr int kDepth = 200000;
  std::string deep;
  deep.reserve(kDepth * 16);
  for (int i = 0; i < kDepth; ++i) deep += "<p:a>";
  for (int i = 0; i < kDepth; ++i) deep += "</p:a>";
  const std::string xml =
      R"(<OAI-PMH xmlns:p="urn:p"><ListRecords><record><header><identifier>x</identifier>)"
      R"(<datestamp>2020-01-01</datestamp></header><metadata>)" +
      deep + "</metadata></record></ListRecords></OAI-PMH>";
  const auto page = parse_oai_page(xml, "s", "f");
  ASSERT_TRUE(page.has_value()) << page.error().describe();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_TRUE(page->records[0].payload.starts_with(R"(<p:a xmlns:p="urn:p"><p:a><p:a>)"));

  // Deeply nested text inside an error element (deep_text) and junk around the lists.
  std::string nested_error = "<OAI-PMH><error code='badVerb'>";
  for (int i = 0; i < kDepth; ++i) nested_error += "<x> w ";
  for (int i = 0; i < kDepth; ++i) nested_error += "</x>";
  nested_error += "</error></OAI-PMH>";
  const auto error_page = parse_oai_page(nested_error, "s", "f");
  ASSERT_TRUE(error_page.has_value());
  ASSERT_EQ(error_page->errors.size(), 1u);
  EXPECT_EQ(error_page->errors[0].code, OaiErrorCode::badVerb);
  EXPECT_EQ(error_page->errors[0].message.size(), static_cast<std::size_t>(kDepth) * 2 - 1);

  // Unclosed deep nesting is a parse error, not a stack overflow.
  EXPECT_FALSE(parse_oai_page("<OAI-PMH>" + deep.substr(0, deep.size() / 2), "s", "f").has_value());
}

TEST(OaiPageFuzz, ManyRecordsAndAttributes) {
  std::string xml = "<OAI-PMH><ListIdentifiers>";
  for (int i = 0; i < 50000; ++i) {
    xml += "<header status='deleted'><identifier>id" + std::to_string(i) +
           "</identifier><datestamp>2020-01-01</datestamp></header>";
  }
  xml +=
      "<resumptionToken cursor='99999999999999999999999' completeListSize='-1'>x</resumptionToken>";
  xml += "</ListIdentifiers></OAI-PMH>";
  const auto page = parse_oai_page(xml, "s", "f");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->records.size(), 50000u);
  ASSERT_TRUE(page->token.has_value());
  EXPECT_FALSE(page->token->cursor.has_value());              // overflow
  EXPECT_FALSE(page->token->complete_list_size.has_value());  // negative
}

}  // namespace
}  // namespace bzpeer::oai
