// Crossref connector against the real habanero captures served from 127.0.0.1.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "connectors/crossref/crossref_connector.hpp"
#include "connectors/crossref/rest_support.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/unit/connectors/connector_test_support.hpp"

namespace bzpeer::testing {
namespace {

std::string next_cursor_of(const std::string& page) {
  simdjson::dom::parser parser;
  return std::string(std::string_view(parser.parse(page)["message"]["next-cursor"].get_string()));
}

/// What Crossref answers once a cursor is exhausted: the same envelope, no items.
std::string empty_work_list(const std::string& cursor, int per_page) {
  return R"({"status":"ok","message-type":"work-list","message-version":"1.0.0","message":{"facets":{},"next-cursor":")" +
         cursor + R"(","total-results":0,"items":[],"items-per-page":)" + std::to_string(per_page) +
         "}}";
}

struct Chain {
  std::vector<std::string> pages;
  std::string terminal;
};

Chain widget_chain() {
  Chain c;
  for (int i = 1; i <= 3; ++i) {
    c.pages.push_back(read_fixture("crossref/habanero_works_query-widget_cursor-page" +
                                   std::to_string(i) + ".json"));
  }
  c.terminal = empty_work_list(next_cursor_of(c.pages.back()), 20);
  return c;
}

TEST(CrossrefConnector, FollowsTheWidgetCursorChainToTheEnd) {
  auto chain = widget_chain();
  ChainServer server("/works", chain.pages, chain.terminal);
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/works");
  options.source_name = "crossref";
  options.rows = 20;
  options.query = "widget";
  options.mailto = "harvest@example.org";
  options.window = {"2024-01-01", ""};
  crossref::CrossrefConnector connector(options, http);

  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 4u);  // three full pages, then the empty one
  EXPECT_TRUE(w.pages.back().last);
  EXPECT_FALSE(w.pages.back().complete_until.empty());
  auto records = w.records();
  ASSERT_EQ(records.size(), 60u);
  EXPECT_EQ(records.front().source_id, "10.1007/978-1-4302-0197-7_9");
  EXPECT_EQ(records.front().datestamp, "2024-09-04T22:59:26Z");
  EXPECT_EQ(records.front().format, "crossref");
  EXPECT_EQ(records[40].source_id, "10.1038/nature.2016.9804");

  // The cursor went out as "*" first, then exactly the next-cursor of the page before.
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].params["cursor"], "*");
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].params["cursor"], next_cursor_of(chain.pages[i - 1])) << i;
  }
  EXPECT_EQ(requests[0].params["rows"], "20");
  EXPECT_EQ(requests[0].params["query"], "widget");
  EXPECT_EQ(requests[0].params["mailto"], "harvest@example.org");
  EXPECT_EQ(requests[0].params["filter"], "from-index-date:2024-01-01");
  // Crossref reuses one cursor for the whole scroll: positions still differ.
  EXPECT_NE(w.states[1], w.states[2]);
  EXPECT_EQ(w.states[1].substr(0, 3), "20:");
}

TEST(CrossrefConnector, CursorIsUrlEncoded) {
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = "https://api.crossref.org/members/98/works";
  options.rows = 5;
  options.filter = "type:journal-article";
  options.window = {"2024-01-01", "2024-01-31"};
  crossref::CrossrefConnector connector(options, http);
  auto url = connector.page_url("AbC+/x==");
  EXPECT_NE(url.find("cursor=AbC%2B%2Fx%3D%3D"), std::string::npos) << url;
  EXPECT_NE(url.find("filter=from-index-date%3A2024-01-01%2Cuntil-index-date%3A2024-01-31%2Ctype%"
                     "3Ajournal-article"),
            std::string::npos)
      << url;
  EXPECT_EQ(rest::url_encode("a b+c/é"), "a%20b%2Bc%2F%C3%A9");
}

TEST(CrossrefConnector, FollowsTheMemberCursorChainAndEveryRecordMaps) {
  std::vector<std::string> pages;
  for (int i = 1; i <= 4; ++i) {
    pages.push_back(read_fixture("crossref/habanero_members-98_works_rows-5_cursor-page" +
                                 std::to_string(i) + ".json"));
  }
  ChainServer server("/members/98/works", pages, empty_work_list(next_cursor_of(pages[3]), 5));
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/members/98/works");
  options.source_name = "hindawi";
  options.rows = 5;
  crossref::CrossrefConnector connector(options, http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 5u);
  auto records = w.records();
  ASSERT_EQ(records.size(), 20u);
  EXPECT_EQ(records[0].source_id, "10.4061/2010/505436");
  EXPECT_EQ(records[15].source_id, "10.1111/jai.12009");
  EXPECT_EQ(connector.stats().requests, 5);
  // Every record maps, except the one journal-issue (no title: not a work), which the
  // store would quarantine with this reason.
  for (const auto& r : records) {
    auto work = parse::map_record(r);
    if (r.source_id == "10.1002/humu.2018.39.issue-6") {
      ASSERT_FALSE(work);
      EXPECT_NE(work.error().message.find("no title"), std::string::npos);
    } else {
      EXPECT_TRUE(work) << r.source_id << ": " << work.error().message;
    }
  }
}

TEST(CrossrefConnector, ValidationFailureIsAProtocolErrorNamingTheProblem) {
  http::testing::LoopbackServer server;
  const auto body = read_fixture("crossref/habanero_400_validation-failure_query-with-doi.json");
  server.server().Get("/works", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(body, "application/json");
  });
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/works");
  crossref::CrossrefConnector connector(options, http);
  auto page = connector.next_page("");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::protocol);
  EXPECT_NE(page.error().message.find("HTTP 400 validation-failure"), std::string::npos)
      << page.error().message;
  EXPECT_NE(
      page.error().message.find(
          "parameter-not-allowed (query.*): This route does not support field query parameters"),
      std::string::npos)
      << page.error().message;
}

TEST(CrossrefConnector, PlainText404IsPermanentWithItsBody) {
  http::testing::LoopbackServer server;
  const auto body = read_fixture("crossref/habanero_work_404_10.1371_notarealdoi.txt");
  server.server().Get(R"(/works/.*)", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(body, "text/plain");
  });
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/works/10.1371/notarealdoi");
  crossref::CrossrefConnector connector(options, http);
  auto page = connector.next_page("");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::http_permanent);
  EXPECT_NE(page.error().message.find("HTTP 404: Resource not found."), std::string::npos)
      << page.error().message;
}

TEST(CrossrefConnector, SingleWorkRouteIsOneLastPage) {
  ChainServer server(R"(/works/.*)",
                     {read_fixture("crossref/habanero_work_10.1109_icdcsw.2003.1203662.json")}, "");
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/works/10.1109/icdcsw.2003.1203662");
  options.source_name = "crossref";
  crossref::CrossrefConnector connector(options, http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 1u);
  ASSERT_EQ(w.records().size(), 1u);
  EXPECT_EQ(w.records()[0].source_id, "10.1109/icdcsw.2003.1203662");
  EXPECT_EQ(w.records()[0].datestamp, "2025-10-31T18:06:50Z");
}

TEST(CrossrefConnector, AServerRepeatingAPageIsStopped) {
  // A server that ignores the cursor: the first page again and again.
  auto page = read_fixture("crossref/habanero_works_query-widget_cursor-page1.json");
  ChainServer server("/works", {}, page);
  server.start();
  http::HttpClient http(fast_client());
  crossref::CrossrefConnectorOptions options;
  options.base_url = server.url("/works");
  options.rows = 20;
  crossref::CrossrefConnector connector(options, http);
  auto w = walk(connector);
  ASSERT_TRUE(w.error);
  EXPECT_EQ(w.error->code, ErrorCode::protocol);
  EXPECT_NE(w.error->message.find("the same page again"), std::string::npos) << w.error->message;
  EXPECT_EQ(server.requests().size(), 3u);  // "*", then the cursor twice
}

TEST(CrossrefConnector, TruncatedPageIsNotJson) {
  const auto page = read_fixture("crossref/habanero_members-98_works_rows-5_cursor-page1.json");
  EXPECT_TRUE(rest::is_json_document(page));
  EXPECT_FALSE(rest::is_json_document(page.substr(0, page.size() / 2)));
}

}  // namespace
}  // namespace bzpeer::testing
