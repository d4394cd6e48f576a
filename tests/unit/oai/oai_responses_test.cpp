// Identify, ListMetadataFormats, ListSets, ListIdentifiers and GetRecord: parsing recorded
// responses, and OaiClient speaking each verb to the replay server (and to a scripted
// loopback server for what the replay server does not do).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "connectors/http/http_client.hpp"
#include "connectors/oai_pmh/oai_client.hpp"
#include "connectors/oai_pmh/oai_responses.hpp"
#include "oai_test_support.hpp"
#include "scripted_server.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer::oai {
namespace {

using namespace std::chrono_literals;

http::ClientOptions fast() {
  http::ClientOptions options;
  options.min_interval = 0ms;
  options.retry.max_attempts = 3;
  options.retry.initial_backoff = 5ms;
  options.retry.max_backoff = 20ms;
  options.validate_body = is_well_formed_xml;
  return options;
}

// --- parsing recorded responses --------------------------------------------------------------

TEST(OaiResponses, SickleIdentify) {
  auto info = parse_identify(test::read_fixture("sickle/sickle_Identify.xml"));
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_TRUE(info->errors.empty());
  EXPECT_EQ(info->response_date, "2013-02-27T10:01:15Z");
  EXPECT_EQ(info->repository_name, "A Test Repository");
  EXPECT_EQ(info->base_url, "http://test.example.com/oai");
  EXPECT_EQ(info->protocol_version, "2.0");
  EXPECT_EQ(info->admin_emails, std::vector<std::string>{"john.doe@example.com"});
  EXPECT_EQ(info->earliest_datestamp, "1970-01-01T00:00:00Z");
  EXPECT_EQ(info->deleted_record, "persistent");
  EXPECT_EQ(info->granularity_text, "YYYY-MM-DD");
  EXPECT_EQ(info->granularity, Granularity::day);
}

TEST(OaiResponses, SickleListMetadataFormats) {
  auto page =
      parse_list_metadata_formats(test::read_fixture("sickle/sickle_ListMetadataFormats.xml"));
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->formats.size(), 5u);
  EXPECT_EQ(page->formats[0].prefix, "epicur");
  EXPECT_EQ(page->formats[2].prefix, "oai_dc");
  EXPECT_EQ(page->formats[2].schema, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
  EXPECT_EQ(page->formats[2].ns, "http://www.openarchives.org/OAI/2.0/oai_dc/");
}

TEST(OaiResponses, SickleListSetsHasNoToken) {
  auto page = parse_list_sets(test::read_fixture("sickle/sickle_ListSets.xml"));
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->sets.size(), 131u);
  EXPECT_EQ(page->sets.front().spec, "bi");
  EXPECT_EQ(page->sets.front().name, "All BI publications (already published)");
  EXPECT_TRUE(page->is_last());
}

TEST(OaiResponses, SickleListIdentifiersCarriesLegacyTokenAndDeletedHeader) {
  auto page =
      parse_oai_page(test::read_fixture("sickle/sickle_ListIdentifiers.xml"), "s", "oai_dc");
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->records[0].source_id, "oai:test.example.com::1585310");
  EXPECT_TRUE(page->records[0].payload.empty());
  EXPECT_TRUE(page->records[1].deleted);
  ASSERT_TRUE(page->token);
  EXPECT_EQ(page->token->value, "ListIdentifiers2.xml");
  EXPECT_EQ(page->token->cursor, 0);
  EXPECT_EQ(page->token->complete_list_size, 4);
}

TEST(OaiResponses, ErrorResponsesOfEveryVerbParser) {
  // The same recorded error bodies come back whatever verb was asked.
  const std::string bad_verb = test::read_fixture("errors/mikesaelim_ErrorResponseBadVerb.xml");
  auto identify = parse_identify(bad_verb);
  ASSERT_TRUE(identify);
  ASSERT_EQ(identify->errors.size(), 1u);
  EXPECT_EQ(identify->errors[0].code, OaiErrorCode::badVerb);
  auto sets = parse_list_sets(test::read_fixture("errors/sickle_noSetHierarchy.xml"));
  ASSERT_TRUE(sets);
  ASSERT_EQ(sets->errors.size(), 1u);
  EXPECT_EQ(sets->errors[0].code, OaiErrorCode::noSetHierarchy);
  auto formats =
      parse_list_metadata_formats(test::read_fixture("errors/sickle_idDoesNotExist.xml"));
  ASSERT_TRUE(formats);
  ASSERT_EQ(formats->errors.size(), 1u);
  EXPECT_EQ(formats->errors[0].code, OaiErrorCode::idDoesNotExist);
}

TEST(OaiResponses, GarbageIsAParseError) {
  EXPECT_EQ(parse_identify("<html><body>503</body></html>").error().code, ErrorCode::parse);
  std::string identify = test::read_fixture("sickle/sickle_Identify.xml");
  identify.resize(identify.size() / 2);
  EXPECT_EQ(parse_identify(identify).error().code, ErrorCode::parse);
  EXPECT_EQ(parse_list_sets("").error().code, ErrorCode::parse);
}

TEST(OaiResponses, GranularityBoundsAndClamp) {
  EXPECT_EQ(granularity_from_string("YYYY-MM-DD"), Granularity::day);
  EXPECT_EQ(granularity_from_string(" YYYY-MM-DDThh:mm:ssZ "), Granularity::seconds);
  EXPECT_EQ(granularity_from_string(""), Granularity::day);
  EXPECT_EQ(format_bound("2024-01-31", Granularity::day, false), "2024-01-31");
  EXPECT_EQ(format_bound("2024-01-31", Granularity::seconds, false), "2024-01-31T00:00:00Z");
  EXPECT_EQ(format_bound("2024-01-31", Granularity::seconds, true), "2024-01-31T23:59:59Z");
  EXPECT_EQ(format_bound("2024-01-31T10:00:00Z", Granularity::day, true), "2024-01-31");
  EXPECT_EQ(format_bound("", Granularity::seconds, false), "");
  EXPECT_EQ(clamp_from("2000-01-01", "2005-09-16"), "2005-09-16");
  EXPECT_EQ(clamp_from("2000-01-01", "1970-01-01T00:00:00Z"), "2000-01-01");
  EXPECT_EQ(clamp_from("2005-09-16", "2005-09-16"), "2005-09-16");
  EXPECT_EQ(clamp_from("", "2005-09-16"), "");
  EXPECT_EQ(clamp_from("2000-01-01", ""), "2000-01-01");
}

// --- OaiClient against the replay server --------------------------------------------------------

class OaiVerbs : public ::testing::Test {
 protected:
  void start(replay::TokenStyle style, int page_size) {
    replay::ServerOptions options;
    options.pages_dir = test::fixture_path("arxivraw-sample");
    options.token_style = style;
    options.page_size = page_size;
    options.earliest_datestamp = "2005-09-16";
    server_ = std::make_unique<replay::ReplayServer>(options);
    ASSERT_GT(server_->start(), 0);
    client_ = std::make_unique<OaiClient>(server_->base_url(), "arxiv", http_);
  }
  http::HttpClient http_{fast()};
  std::unique_ptr<replay::ReplayServer> server_;
  std::unique_ptr<OaiClient> client_;
};

TEST_F(OaiVerbs, IdentifyFormatsAndSets) {
  start(replay::TokenStyle::modern, 100);
  auto info = client_->identify();
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->earliest_datestamp, "2005-09-16");
  EXPECT_EQ(info->granularity, Granularity::day);
  EXPECT_EQ(info->deleted_record, "persistent");
  EXPECT_EQ(info->base_url, server_->base_url());

  auto formats = client_->list_metadata_formats();
  ASSERT_TRUE(formats) << formats.error().describe();
  ASSERT_EQ(formats->size(), 1u);
  EXPECT_EQ(formats->front().prefix, "arXivRaw");
  auto of_item = client_->list_metadata_formats("oai:arXiv.org:1102.0541");
  ASSERT_TRUE(of_item) << of_item.error().describe();
  EXPECT_EQ(of_item->size(), 1u);
  auto unknown = client_->list_metadata_formats("oai:arXiv.org:9999.99999");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_NE(unknown.error().message.find("idDoesNotExist"), std::string::npos);

  auto sets = client_->list_sets();
  ASSERT_TRUE(sets) << sets.error().describe();
  std::set<std::string> specs;
  for (const auto& s : *sets) specs.insert(s.spec);
  EXPECT_TRUE(specs.contains("physics:astro-ph:EP"));
  EXPECT_TRUE(specs.contains("math:math:MP"));
}

TEST_F(OaiVerbs, GetRecordKnownUnknownAndWrongFormat) {
  start(replay::TokenStyle::modern, 100);
  auto record = client_->get_record("oai:arXiv.org:1102.0541", "arXivRaw");
  ASSERT_TRUE(record) << record.error().describe();
  EXPECT_EQ(record->source_id, "oai:arXiv.org:1102.0541");
  EXPECT_EQ(record->format, "arXivRaw");
  EXPECT_NE(record->payload.find("<id>1102.0541</id>"), std::string::npos);
  const auto last = server_->requests().back().target;
  EXPECT_NE(last.find("verb=GetRecord"), std::string::npos);
  EXPECT_NE(last.find("identifier=oai%3AarXiv.org%3A1102.0541"), std::string::npos);

  auto unknown = client_->get_record("oai:arXiv.org:9999.99999", "arXivRaw");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  auto wrong = client_->get_record("oai:arXiv.org:1102.0541", "oai_dc");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::protocol);
  EXPECT_NE(wrong.error().message.find("cannotDisseminateFormat"), std::string::npos);
}

TEST_F(OaiVerbs, ListIdentifiersPagesWithBothTokenStyles) {
  for (auto style : {replay::TokenStyle::modern, replay::TokenStyle::legacy}) {
    start(style, 120);
    ListRequest request;
    std::set<std::string> ids;
    std::string token;
    int pages = 0;
    while (pages < 20) {
      auto page = client_->list_identifiers(request, token);
      ASSERT_TRUE(page) << page.error().describe();
      ASSERT_TRUE(page->errors.empty());
      ++pages;
      for (const auto& r : page->records) {
        EXPECT_TRUE(r.payload.empty());
        ids.insert(r.source_id);
      }
      if (page->is_last()) break;
      if (style == replay::TokenStyle::legacy) {
        EXPECT_TRUE(page->token->cursor.has_value());
        EXPECT_EQ(page->token->complete_list_size, 509);
      } else {
        EXPECT_FALSE(page->token->expiration_date.empty());
      }
      token = page->token->value;
    }
    EXPECT_EQ(pages, 5);  // 509 at 120 per page
    EXPECT_EQ(ids.size(), 509u);
    for (const auto& entry : server_->requests()) {
      EXPECT_NE(entry.target.find("verb=ListIdentifiers"), std::string::npos) << entry.target;
    }
    server_.reset();
  }
}

// --- a ListSets answered in two pages -----------------------------------------------------------

TEST(OaiListSets, FollowsTokensToTheEnd) {
  // The recorded sickle ListSets, split after its 50th set with a legacy-style token.
  const std::string whole = test::read_fixture("sickle/sickle_ListSets.xml");
  std::size_t cut = 0;
  for (int i = 0; i < 50; ++i) cut = whole.find("</set>", cut) + 6;
  const std::size_t list_end = whole.find("</ListSets>");
  const std::string head = whole.substr(0, whole.find("<set>"));
  const std::string first = whole.substr(0, cut) +
                            "<resumptionToken cursor=\"0\" completeListSize=\"131\">sets|51"
                            "</resumptionToken>" +
                            whole.substr(list_end);
  const std::string second = head + whole.substr(cut);
  test::ScriptedServer server([&](const httplib::Request& req) {
    return req.has_param("resumptionToken") ? second : first;
  });
  http::HttpClient http(fast());
  OaiClient client(server.base_url(), "s", http);
  auto sets = client.list_sets();
  ASSERT_TRUE(sets) << sets.error().describe();
  EXPECT_EQ(sets->size(), 131u);
  const auto targets = server.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[1].substr(targets[1].find('?')), "?verb=ListSets&resumptionToken=sets%7C51");
}

TEST(OaiListSets, RepeatedTokenIsAProtocolError) {
  const std::string whole = test::read_fixture("sickle/sickle_ListSets.xml");
  const std::string looping = whole.substr(0, whole.find("</ListSets>")) +
                              "<resumptionToken>same</resumptionToken>" +
                              whole.substr(whole.find("</ListSets>"));
  test::ScriptedServer server([&](const httplib::Request&) { return looping; });
  http::HttpClient http(fast());
  OaiClient client(server.base_url(), "s", http);
  auto sets = client.list_sets();
  ASSERT_FALSE(sets);
  EXPECT_EQ(sets.error().code, ErrorCode::protocol);
  EXPECT_EQ(server.targets().size(), 2u);
}

TEST(OaiListSets, NoSetHierarchyIsAnEmptyList) {
  const std::string body = test::read_fixture("errors/sickle_noSetHierarchy.xml");
  test::ScriptedServer server([&](const httplib::Request&) { return body; });
  http::HttpClient http(fast());
  OaiClient client(server.base_url(), "s", http);
  auto sets = client.list_sets();
  ASSERT_TRUE(sets) << sets.error().describe();
  EXPECT_TRUE(sets->empty());
}

}  // namespace
}  // namespace bzpeer::oai
