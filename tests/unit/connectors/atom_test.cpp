// arXiv Atom API connector and mapper on the real arxiv.py captures.
#include <gtest/gtest.h>

#include <algorithm>

#include "connectors/arxiv_atom/atom_connector.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/unit/connectors/connector_test_support.hpp"

namespace bzpeer::testing {
namespace {

std::vector<std::string> testing_pages() {
  return {read_fixture("atom/arxivpy_2026_q_testing_s0_m10_bc5a6c384fe9.body.xml"),
          read_fixture("atom/arxivpy_2026_q_testing_s10_m10_34e56e15aaac.body.xml"),
          read_fixture("atom/arxivpy_2026_q_testing_s20_m10_348a237fecab.body.xml")};
}

const std::string& empty_feed() {
  static const std::string feed =
      read_fixture("atom/arxivpy_2026_id_0000.0000_s0_m100_8b51d9633a68.body.xml");
  return feed;
}

atom::AtomConnectorOptions options_for(ChainServer& server) {
  atom::AtomConnectorOptions options;
  options.base_url = server.url("/api/query");
  options.source_name = "arxiv-api";
  options.search_query = "all:testing";
  options.max_results = 10;
  return options;
}

TEST(AtomConnector, PagesWithStartUntilAnEmptyFeed) {
  ChainServer server("/api/query", testing_pages(), empty_feed(), "application/atom+xml");
  server.start();
  http::HttpClient http(fast_client());
  atom::AtomConnector connector(options_for(server), http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 4u);  // 3 x 10 entries, then arXiv's empty feed ends the window
  EXPECT_TRUE(w.pages[3].last);
  EXPECT_TRUE(w.pages[3].records.empty());
  auto records = w.records();
  ASSERT_EQ(records.size(), 30u);
  EXPECT_EQ(records[0].source_id, "2202.12139");
  EXPECT_EQ(records[0].format, "arxiv-atom");
  EXPECT_EQ(records[0].datestamp, "2022-02-24T15:05:19Z");
  EXPECT_EQ(records[20].source_id, "2008.01944");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].params["start"], std::to_string(10 * i));
    EXPECT_EQ(requests[i].params["max_results"], "10");
    EXPECT_EQ(requests[i].params["search_query"], "all:testing");
  }
  EXPECT_EQ(w.states[1], "10");
  for (const auto& r : records) {
    auto work = parse::map_record(r);
    EXPECT_TRUE(work) << r.source_id << ": " << work.error().message;
  }
}

TEST(AtomConnector, StopsAtTheResultCapAndSaysWhatWasLeft) {
  ChainServer server("/api/query", testing_pages(), empty_feed(), "application/atom+xml");
  server.start();
  http::HttpClient http(fast_client());
  auto options = options_for(server);
  options.max_total = 30;
  options.window = {"2024-01-01", "2024-01-31"};
  atom::AtomConnector connector(options, http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 3u);
  EXPECT_TRUE(w.pages[2].last);
  EXPECT_EQ(w.pages[2].complete_until, "2024-01-31");
  ASSERT_EQ(w.pages[2].skipped.size(), 1u);
  EXPECT_NE(w.pages[2].skipped[0].find("214851 results beyond the 30-result limit"),
            std::string::npos)
      << w.pages[2].skipped[0];
  EXPECT_EQ(server.requests()[0].params["search_query"],
            "(all:testing) AND lastUpdatedDate:[202401010000 TO 202401312359]");
  // arXiv's own limits are enforced whatever the options say.
  atom::AtomConnectorOptions big;
  big.max_results = 5000;
  atom::AtomConnector capped(big, http);
  EXPECT_NE(capped.page_url(0, 2000).find("max_results=2000"), std::string::npos);
}

TEST(AtomConnector, AServerIgnoringStartIsStopped) {
  ChainServer server("/api/query", {}, testing_pages()[0], "application/atom+xml");
  server.start();
  http::HttpClient http(fast_client());
  atom::AtomConnector connector(options_for(server), http);
  auto w = walk(connector);
  ASSERT_TRUE(w.error);
  EXPECT_EQ(w.error->code, ErrorCode::protocol);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(AtomConnector, ErrorFeedIsAProtocolErrorWithItsSummary) {
  http::testing::LoopbackServer server;
  const auto feed = read_fixture("atom/arxivpy_2026_id_abc_s0_m100_b79c8dcf6bc3.body.xml");
  server.server().Get("/api/query", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(feed, "application/atom+xml");
  });
  server.start();
  http::HttpClient http(fast_client());
  atom::AtomConnectorOptions options;
  options.base_url = server.url("/api/query");
  options.search_query = "id:abc";
  atom::AtomConnector connector(options, http);
  auto page = connector.next_page("");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::protocol);
  EXPECT_NE(page.error().message.find("(HTTP 400): incorrect id format for abc"), std::string::npos)
      << page.error().message;
}

TEST(AtomConnector, EmptyFirstFeedIsAnEmptyLastPage) {
  ChainServer server("/api/query", {empty_feed()}, empty_feed(), "application/atom+xml");
  server.start();
  http::HttpClient http(fast_client());
  atom::AtomConnector connector(options_for(server), http);
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 1u);
  EXPECT_TRUE(w.pages[0].last);
  EXPECT_TRUE(w.pages[0].records.empty());
}

/// Every entry of a captured feed, mapped (through the connector, so the payload is the
/// standalone entry it stores).
std::vector<Work> map_feed(const std::string& fixture) {
  ChainServer server("/api/query", {read_fixture(fixture)}, empty_feed(), "application/atom+xml");
  server.start();
  http::HttpClient http(fast_client());
  atom::AtomConnectorOptions options;
  options.base_url = server.url("/api/query");
  options.search_query = "x";
  atom::AtomConnector connector(options, http);
  auto w = walk(connector);
  EXPECT_FALSE(w.error);
  std::vector<Work> works;
  for (const auto& r : w.records()) {
    auto work = parse::map_record(r);
    EXPECT_TRUE(work) << r.source_id << ": " << work.error().message;
    if (work) works.push_back(*work);
  }
  return works;
}

TEST(AtomMapper, EntryFields) {
  auto works = map_feed("atom/arxivpy_2026_q_testing_s0_m10_bc5a6c384fe9.body.xml");
  ASSERT_EQ(works.size(), 10u);
  const Work& w = works[0];
  EXPECT_EQ(w.arxiv_id, "2202.12139");
  EXPECT_EQ(
      w.title,
      "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques");
  EXPECT_EQ(w.first_date, "2022-02-24");
  EXPECT_EQ(w.year, 2022);
  EXPECT_EQ(w.categories, (std::vector<std::string>{"cs.SE", "cs.LG"}));
  EXPECT_EQ(w.dois, std::vector<std::string>{"10.1109/icstw55395.2022.00035"});
  EXPECT_EQ(w.journal_ref,
            "Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on "
            "Software Testing, Verification and Validation Workshops (ICSTW)");
  EXPECT_EQ(w.comments, "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022");
  EXPECT_EQ(w.abstract.rfind("Deep Learning (DL) has revolutionized", 0), 0u);
  EXPECT_EQ(w.type, WorkType::preprint);
  ASSERT_EQ(w.authors.size(), 3u);
  EXPECT_EQ(w.authors[0].printed, "Mohit Kumar Ahuja");
  EXPECT_EQ(w.authors[0].family, "Ahuja");
  EXPECT_EQ(w.authors[2].position, 3);
  // A later version: v1's date and this version's.
  const Work& v2 = works[2];
  EXPECT_EQ(v2.arxiv_id, "2005.14124");
  ASSERT_EQ(v2.versions.size(), 2u);
  EXPECT_EQ(v2.versions[1].number, 2);
  EXPECT_EQ(v2.versions[0].date, "2020-05-28T16:19:50Z");
  EXPECT_EQ(v2.last_date, "2020-07-16");
  EXPECT_EQ(v2.categories, (std::vector<std::string>{"cs.SE", "cs.CR", "cs.LG"}));
  // Non-ASCII names, stored double-encoded in the capture, come out right.
  EXPECT_EQ(works[1].authors[0].printed, "Aurora Ramírez");
  EXPECT_EQ(works[1].authors[2].printed, "José Raúl Romero");
}

TEST(AtomMapper, OldStyleIdAffiliationsAndJournalRef) {
  auto works = map_feed("atom/arxivpy_2026_id_astro-ph_0601001_s0_m100_3150dca9dc76.body.xml");
  ASSERT_EQ(works.size(), 1u);
  const Work& w = works[0];
  EXPECT_EQ(w.arxiv_id, "astro-ph/0601001");
  EXPECT_EQ(w.categories, std::vector<std::string>{"astro-ph"});
  EXPECT_EQ(w.journal_ref, "ActaAstron.56:1-50,2006");
  ASSERT_EQ(w.authors.size(), 4u);
  EXPECT_EQ(w.authors[0].affiliation, "Ohio State");
  EXPECT_EQ(w.authors[2].printed, "B. Scott Gaudi");
  EXPECT_EQ(w.authors[2].affiliation, "CfA");
  EXPECT_EQ(w.authors[3].affiliation, "Warsaw University Observatory");
}

TEST(AtomMapper, NonAsciiAuthor) {
  auto works = map_feed("atom/arxivpy_2026_id_1707.08567_s0_m100_6a1afebfc6a3.body.xml");
  ASSERT_EQ(works.size(), 1u);
  auto it =
      std::ranges::find(works[0].authors, std::string("Dirk Wübben"), &AuthorMention::printed);
  ASSERT_NE(it, works[0].authors.end());
  EXPECT_EQ(it->family, "Wübben");
  EXPECT_EQ(works[0].authors[0].printed, "Kees A. Schouhamer Immink");
}

TEST(AtomMapper, OldFrontEndFeedWithPerElementNamespaces) {
  auto works = map_feed("atom/arxivpy_2016_search_au-del_maestro.xml");
  ASSERT_EQ(works.size(), 10u);
  EXPECT_EQ(works[0].arxiv_id, "1201.4869");
  EXPECT_EQ(works[0].dois, std::vector<std::string>{"10.1142/s021797921244002x"});
  EXPECT_EQ(works[0].journal_ref, "Int. J. Mod. Phys. B, 26, 1244002 (2012)");
  EXPECT_EQ(works[0].categories, (std::vector<std::string>{"cond-mat.mes-hall", "cond-mat.other"}));
  EXPECT_EQ(works[1].arxiv_id, "cond-mat/0412498");
  ASSERT_EQ(works[1].authors.size(), 2u);
  EXPECT_EQ(works[1].authors[1].printed, "Subir Sachdev");
}

TEST(AtomMapper, ErrorAndGarbageAreMappingErrors) {
  SourceRecord r{"a", "arxiv-atom", "x", "", false, {}, "<entry><id>nonsense</id></entry>"};
  auto w = parse::map_record(r);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("malformed <id>"), std::string::npos);
  r.payload = "<entry";
  EXPECT_FALSE(parse::map_record(r));
}

}  // namespace
}  // namespace bzpeer::testing
