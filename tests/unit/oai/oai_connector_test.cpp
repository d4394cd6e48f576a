// OaiConnector: Identify once (granularity, earliestDatestamp), the token forms of real
// repositories, and what each recorded OAI error response turns into.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "connectors/http/http_client.hpp"
#include "connectors/oai_pmh/oai_connector.hpp"
#include "oai_test_support.hpp"
#include "scripted_server.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer::oai {
namespace {

using namespace std::chrono_literals;

http::ClientOptions fast() {
  http::ClientOptions options;
  options.min_interval = 0ms;
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = 5ms;
  options.retry.max_backoff = 20ms;
  options.validate_body = is_well_formed_xml;
  return options;
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::size_t count_of(const std::vector<std::string>& targets, std::string_view needle) {
  std::size_t n = 0;
  for (const auto& t : targets) n += t.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

TEST(OaiConnectorIdentify, SecondsGranularityAndClampToEarliestDatestamp) {
  // A repository declaring seconds granularity and an earliest datestamp in 2011 (the
  // recorded sickle Identify with those two fields changed).
  std::string identify = test::read_fixture("sickle/sickle_Identify.xml");
  identify = replace(identify, "<granularity>YYYY-MM-DD</granularity>",
                     "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>");
  identify = replace(identify, "1970-01-01T00:00:00Z", "2011-03-01T00:00:00Z");
  const std::string empty = test::read_fixture("errors/sickle_noRecordsMatch.xml");
  test::ScriptedServer server([&](const httplib::Request& req) {
    return req.get_param_value("verb") == "Identify" ? identify : empty;
  });
  http::HttpClient http(fast());
  OaiConnectorOptions options;
  options.base_url = server.base_url();
  options.source_name = "s";
  options.metadata_prefix = "oai_dc";
  options.window = {"2000-01-01", "2011-12-31"};
  OaiConnector connector(options, http);
  auto page = connector.next_page("");
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_TRUE(page->last);
  EXPECT_TRUE(page->records.empty());
  EXPECT_EQ(page->complete_until, "2011-12-31");
  ASSERT_TRUE(connector.identify_info());
  EXPECT_EQ(connector.identify_info()->granularity, Granularity::seconds);
  const auto targets = server.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/oai?verb=Identify");
  EXPECT_EQ(targets[1],
            "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2011-03-01T00%3A00%3A00Z"
            "&until=2011-12-31T23%3A59%3A59Z");
}

TEST(OaiConnectorIdentify, DayGranularityOnceAndNotForTokenRequests) {
  replay::ServerOptions options;
  options.pages_dir = test::fixture_path("arxivraw-sample");
  options.page_size = 200;
  options.earliest_datestamp = "2005-09-16";
  replay::ReplayServer server(options);
  ASSERT_GT(server.start(), 0);
  http::HttpClient http(fast());
  OaiConnectorOptions copts;
  copts.base_url = server.base_url();
  copts.source_name = "arxiv";
  copts.window = {"1999-12-31", ""};
  OaiConnector connector(copts, http);
  std::string state;
  int pages = 0;
  std::size_t records = 0;
  while (pages < 10) {
    auto page = connector.next_page(state);
    ASSERT_TRUE(page) << page.error().describe();
    ++pages;
    records += page->records.size();
    if (page->last) break;
    state = page->next_state;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(records, 509u);
  std::vector<std::string> targets;
  for (const auto& r : server.requests()) targets.push_back(r.target);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0], "/oai?verb=Identify");
  EXPECT_EQ(targets[1], "/oai?verb=ListRecords&metadataPrefix=arXivRaw&from=2005-09-16");
  EXPECT_EQ(count_of(targets, "resumptionToken="), 2u);

  // A connector resuming from a stored token sends no Identify.
  server.clear_requests();
  OaiConnector resumed(copts, http);
  auto page = resumed.next_page(state);
  ASSERT_TRUE(page) << page.error().describe();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].target.find("resumptionToken="), std::string::npos);
  EXPECT_FALSE(resumed.identify_info());
}

// --- token forms of real repositories
// -------------------------------------------------------------

struct Feed {
  std::string name;
  std::vector<std::string> pages;  // fixture paths, in order
  std::vector<std::size_t> records;
};

TEST(OaiConnectorTokens, WalksRecordedFeedsToTheirEmptyFinalToken) {
  const std::vector<Feed> feeds = {
      {"dryad (expirationDate, no cursor; final <resumptionToken />)",
       {"generic-scrapi/scrapi_dryad_ListRecords_page1.xml",
        "generic-scrapi/scrapi_dryad_ListRecords_page2.xml",
        "generic-scrapi/scrapi_dryad_ListRecords_page3.xml"},
       {100, 100, 94}},
      {"datacite (cursor + completeListSize; final token with attributes only)",
       {"generic-scrapi/scrapi_datacite_ListRecords_page1.xml",
        "generic-scrapi/scrapi_datacite_ListRecords_page2.xml"},
       {50, 6}},
      {"spdataverse (token with ':' and '_')",
       {"generic-scrapi/scrapi_spdataverse_ListRecords_page1.xml",
        "generic-scrapi/scrapi_spdataverse_ListRecords_page2.xml"},
       {10, 9}},
  };
  const std::string identify = test::read_fixture("sickle/sickle_Identify.xml");
  for (const auto& feed : feeds) {
    SCOPED_TRACE(feed.name);
    std::vector<std::string> bodies;
    for (const auto& p : feed.pages) bodies.push_back(test::read_fixture(p));
    // Page i+1 is served for the token that page i carries, exactly as recorded.
    std::map<std::string, std::string> by_token;
    for (std::size_t i = 0; i + 1 < bodies.size(); ++i) {
      auto parsed = parse_oai_page(bodies[i], "s", "oai_dc");
      ASSERT_TRUE(parsed && parsed->token);
      by_token[parsed->token->value] = bodies[i + 1];
    }
    test::ScriptedServer server([&](const httplib::Request& req) {
      if (req.get_param_value("verb") == "Identify") return identify;
      if (!req.has_param("resumptionToken")) return bodies.front();
      const auto it = by_token.find(req.get_param_value("resumptionToken"));
      return it == by_token.end() ? test::read_fixture("errors/sickle_badResumptionToken.xml")
                                  : it->second;
    });
    http::HttpClient http(fast());
    OaiConnectorOptions options;
    options.base_url = server.base_url();
    options.source_name = "s";
    options.metadata_prefix = "oai_dc";
    options.max_token_restarts = 0;  // an unknown token must fail this test, not restart
    OaiConnector connector(options, http);
    std::string state;
    std::vector<std::size_t> records;
    for (std::size_t i = 0; i < bodies.size() + 1; ++i) {
      auto page = connector.next_page(state);
      ASSERT_TRUE(page) << page.error().describe();
      records.push_back(page->records.size() + page->skipped.size());
      if (page->last) break;
      EXPECT_FALSE(page->next_state.empty());
      state = page->next_state;
    }
    EXPECT_EQ(records, feed.records);
  }
}

// --- every recorded OAI error response ---------------------------------------------------------

TEST(OaiConnectorErrors, EachRecordedErrorResponseHasItsOutcome) {
  struct Case {
    std::string fixture;
    bool on_token_request;
    std::string outcome;  // "empty", "restart", or the ErrorCode::protocol message part
  };
  const std::vector<Case> cases = {
      {"errors/mikesaelim_ErrorResponseNoRecordsMatch.xml", false, "empty"},
      {"errors/sickle_noRecordsMatch.xml", false, "empty"},
      {"errors/mikesaelim_ErrorResponseBadResumptionToken.xml", true, "restart"},
      {"errors/sickle_badResumptionToken.xml", true, "restart"},
      {"errors/sickle_badResumptionToken.xml", false, "badResumptionToken"},
      {"errors/mikesaelim_ErrorResponseBadArgument.xml", false, "badArgument"},
      {"errors/sickle_badArgument.xml", false, "badArgument"},
      {"errors/mikesaelim_ErrorResponseBadVerb.xml", false, "badVerb"},
      {"errors/mikesaelim_ErrorResponseIdDoesNotExist.xml", false, "idDoesNotExist"},
      {"errors/sickle_idDoesNotExist.xml", false, "idDoesNotExist"},
      {"errors/sickle_cannotDisseminateFormat.xml", false, "cannotDisseminateFormat"},
      {"errors/sickle_noSetHierarchy.xml", false, "noSetHierarchy"},
      {"errors/sickle_undefinedError.xml", false, "undefinedError"},
  };
  const std::string identify = test::read_fixture("sickle/sickle_Identify.xml");
  const std::string empty = test::read_fixture("errors/sickle_noRecordsMatch.xml");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fixture + (c.on_token_request ? " (token request)" : ""));
    const std::string body = test::read_fixture(c.fixture);
    // The error answers the request under test; after a restart the window is empty.
    test::ScriptedServer server([&](const httplib::Request& req) {
      if (req.get_param_value("verb") == "Identify") return identify;
      if (c.on_token_request && !req.has_param("resumptionToken")) return empty;
      return body;
    });
    http::HttpClient http(fast());
    OaiConnectorOptions options;
    options.base_url = server.base_url();
    options.source_name = "s";
    options.window = {"2015-01-01", ""};
    OaiConnector connector(options, http);
    auto page = connector.next_page(c.on_token_request ? "stored-token" : "");
    if (c.outcome == "empty") {
      ASSERT_TRUE(page) << page.error().describe();
      EXPECT_TRUE(page->last);
      EXPECT_TRUE(page->records.empty());
    } else if (c.outcome == "restart") {
      ASSERT_TRUE(page) << page.error().describe();
      EXPECT_EQ(connector.stats().state_restarts, 1);
      const auto targets = server.targets();
      ASSERT_EQ(targets.size(), 3u);
      EXPECT_NE(targets[0].find("resumptionToken=stored-token"), std::string::npos);
      EXPECT_EQ(targets[1], "/oai?verb=Identify");
      EXPECT_EQ(targets[2], "/oai?verb=ListRecords&metadataPrefix=arXivRaw&from=2015-01-01");
    } else {
      ASSERT_FALSE(page);
      EXPECT_EQ(page.error().code, ErrorCode::protocol);
      EXPECT_NE(page.error().message.find(c.outcome), std::string::npos) << page.error().message;
      EXPECT_NE(page.error().message.find(server.base_url()), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bzpeer::oai
