// OpenAlex connector and mapper on the real openalexPro / openalex-python captures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "connectors/openalex/openalex_connector.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/unit/connectors/connector_test_support.hpp"

namespace bzpeer::testing {
namespace {

Walk harvest_chain(ChainServer& server, openalex::OpenAlexConnectorOptions options) {
  http::HttpClient http(fast_client());
  options.base_url = server.url("/works");
  options.source_name = "openalex";
  openalex::OpenAlexConnector connector(options, http);
  return walk(connector);
}

TEST(OpenAlexConnector, FollowsTheCursorToTheNullTerminalPage) {
  ChainServer server("/works",
                     {read_fixture("openalex/openalexPro_chunk1_works_cursor-page1.json"),
                      read_fixture("openalex/openalexPro_chunk1_works_cursor-page2-empty.json")},
                     "{}");
  server.start();
  openalex::OpenAlexConnectorOptions options;
  options.per_page = 500;  // clamped to OpenAlex's maximum
  options.api_key = "secret-key";
  options.filter = "type:article";
  options.window = {"2025-01-01", ""};
  auto w = harvest_chain(server, options);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 2u);
  EXPECT_TRUE(w.pages[1].last);
  EXPECT_TRUE(w.pages[1].records.empty());
  auto records = w.records();
  ASSERT_EQ(records.size(), 50u);
  EXPECT_EQ(records.front().source_id, "W1934649023");
  EXPECT_EQ(records.front().datestamp, "2025-09-18T12:11:05.971817");
  EXPECT_EQ(records.back().source_id, "W4250667698");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].params["cursor"], "*");
  EXPECT_EQ(requests[1].params["cursor"],
            "Ils4My4wLCAxMywgJ2h0dHBzOi8vb3BlbmFsZXgub3JnL1c0MjUwNjY3Njk4J10i");
  EXPECT_EQ(requests[0].params["per-page"], "200");
  EXPECT_EQ(requests[0].params["api_key"], "secret-key");
  EXPECT_EQ(requests[0].params["filter"], "from_updated_date:2025-01-01,type:article");
  // Every work of the page maps.
  for (const auto& r : records) {
    auto work = parse::map_record(r);
    EXPECT_TRUE(work) << r.source_id << ": " << work.error().message;
  }
}

TEST(OpenAlexConnector, ApiKeyIsRedactedFromErrors) {
  http::testing::LoopbackServer server;
  server.server().Get("/works", [](const httplib::Request&, httplib::Response& res) {
    res.status = 403;
    res.set_content(R"({"error":"Invalid API key","message":"The api_key is not valid."})",
                    "application/json");
  });
  server.start();
  http::HttpClient http(fast_client());
  openalex::OpenAlexConnectorOptions options;
  options.base_url = server.url("/works");
  options.api_key = "do-not-print-me";
  openalex::OpenAlexConnector connector(options, http);
  auto page = connector.next_page("");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::http_permanent);
  EXPECT_NE(page.error().message.find("HTTP 403: Invalid API key: The api_key is not valid."),
            std::string::npos)
      << page.error().message;
  EXPECT_EQ(page.error().message.find("do-not-print-me"), std::string::npos);
}

TEST(OpenAlexConnector, MergedWorkIdRedirectsAndTheSurvivorIsRecorded) {
  http::testing::LoopbackServer server;
  const auto survivor = read_fixture("openalex/b-vitamins_W2741809807.json");
  server.server().Get("/works/W1000000001", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 301;
    res.set_header("Location", "/works/W2741809807");
  });
  server.server().Get("/works/W2741809807", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(survivor, "application/json");
  });
  server.start();
  http::HttpClient http(fast_client());
  openalex::OpenAlexConnectorOptions options;
  options.base_url = server.url("/works/W1000000001");
  options.source_name = "openalex";
  openalex::OpenAlexConnector connector(options, http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.records().size(), 1u);
  EXPECT_EQ(w.records()[0].source_id, "W2741809807");
  EXPECT_EQ(w.records()[0].datestamp, "2025-06-11T00:03:37.532706");
  auto work = parse::map_record(w.records()[0]);
  ASSERT_TRUE(work) << work.error().message;
  EXPECT_EQ(work->source_work_id, "W2741809807");
}

Work keypaper(const std::string& id) {
  auto page = read_fixture("openalex/openalexPro_keypaper_works_cursor-page1.json");
  ChainServer server("/works", {page}, "");
  server.start();
  http::HttpClient http(fast_client());
  openalex::OpenAlexConnectorOptions options;
  options.base_url = server.url("/works");
  openalex::OpenAlexConnector connector(options, http);
  auto p = connector.next_page("");
  EXPECT_TRUE(p);
  for (const auto& r : p->records) {
    if (r.source_id == id) {
      auto w = parse::map_record(r);
      EXPECT_TRUE(w) << w.error().message;
      return w ? *w : Work{};
    }
  }
  ADD_FAILURE() << id;
  return {};
}

TEST(OpenAlexMapper, AuthorshipsWithIdsOrcidsAndInstitutions) {
  Work w = keypaper("W2741809807");
  EXPECT_EQ(w.title,
            "The state of OA: a large-scale analysis of the prevalence and impact of Open Access "
            "articles");
  EXPECT_EQ(w.dois, std::vector<std::string>{"10.7717/peerj.4375"});
  EXPECT_EQ(w.type, WorkType::article);
  EXPECT_EQ(w.venue, "PeerJ");
  EXPECT_EQ(w.pub_date, "2018-02-13");
  EXPECT_EQ(w.year, 2018);
  EXPECT_EQ(w.journal_ref, "PeerJ 6, e4375 (2018)");
  ASSERT_GE(w.authors.size(), 4u);
  EXPECT_EQ(w.authors[0].printed, "Heather Piwowar");
  EXPECT_EQ(w.authors[0].family, "Piwowar");
  EXPECT_EQ(w.authors[0].source_author_id, "A5048491430");
  EXPECT_EQ(w.authors[0].orcid, "0000-0003-1613-5981");
  EXPECT_EQ(w.authors[0].affiliation, "Impact Technology Development (United States)");
  EXPECT_EQ(w.authors[1].source_author_id, "A5023888391");
  // Non-ASCII names, two institutions each.
  EXPECT_EQ(w.authors[2].printed, "Vincent Larivière");
  EXPECT_EQ(w.authors[2].affiliation, "Université de Montréal; Université du Québec à Montréal");
  EXPECT_EQ(w.authors[2].institution_ids.size(), 2u);
  EXPECT_EQ(w.authors[3].printed, "Juan Pablo Alperín");
  EXPECT_EQ(w.authors[3].family, "Alperín");
  EXPECT_EQ(w.authors[3].position, 4);
}

TEST(OpenAlexMapper, TopicsAndTheInvertedIndexAbstract) {
  Work w = keypaper("W2741809807");
  ASSERT_EQ(w.topics.size(), 3u);
  EXPECT_EQ(w.topics[0].id, "T10102");
  EXPECT_EQ(w.topics[0].label, "scientometrics and bibliometrics research");
  EXPECT_DOUBLE_EQ(w.topics[0].score, 0.9969);
  EXPECT_EQ(w.topics[0].subfield, "Statistics, Probability and Uncertainty");
  EXPECT_EQ(w.topics[0].field, "Decision Sciences");
  EXPECT_EQ(w.topics[0].domain, "Social Sciences");
  EXPECT_EQ(w.topics[2].label, "Research Data Management Practices");
  EXPECT_EQ(
      w.abstract.rfind("Despite growing interest in Open Access (OA) to scholarly literature, "
                       "there is an unmet need for large-scale, up-to-date, and reproducible "
                       "studies assessing the prevalence and characteristics of OA.",
                       0),
      0u)
      << w.abstract;
  // 258 positions -> 258 words.
  EXPECT_EQ(std::ranges::count(w.abstract, ' ') + 1, 258);
}

TEST(OpenAlexMapper, ArxivCopiesAreRecognised) {
  // An OpenAlex work whose locations include arXiv's landing page (the shape of the
  // captures' locations, with an arXiv URL): the arXiv id is taken from it.
  std::string payload =
      R"json({"id":"https://openalex.org/W1","doi":"https://doi.org/10.1038/nature09760","title":"A closely packed system of low-mass, low-density planets transiting Kepler-11","type":"article","locations":[{"landing_page_url":"https://doi.org/10.1038/nature09760"},{"landing_page_url":"https://arxiv.org/abs/1102.0291v1","source":{"display_name":"arXiv (Cornell University)"}}],"authorships":[]})json";
  auto w = parse::map_record(SourceRecord{"openalex", "openalex", "W1", "", false, {}, payload});
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->arxiv_id, "1102.0291");
  EXPECT_EQ(w->dois, std::vector<std::string>{"10.1038/nature09760"});
}

}  // namespace
}  // namespace bzpeer::testing
