// The HTTP JSON API over real HTTP on loopback, against a store and index harvested from
// the bundled arXiv sample: every endpoint, status codes, redirects and caching headers.
#include <set>

#include "server_fixture.hpp"

namespace bzpeer::server::testing {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;

const std::set<std::string> kKeplerPapers = {"1102.0291", "1102.0541", "1102.0543",
                                             "1102.0544", "1102.0547", "1102.0555"};

std::set<std::string> arxiv_ids(element hits) {
  std::set<std::string> ids;
  for (element h : hits.get_array()) ids.emplace(std::string_view(h["arxiv_id"]));
  return ids;
}

std::string error_code(const JsonReply& r) {
  return std::string(std::string_view(r["error"]["code"]));
}

TEST_F(ServerTest, HealthzReportsStoreAndIndex) {
  auto r = get_json("/healthz", 200);
  EXPECT_EQ(std::string_view(r["status"]), "ok");
  EXPECT_TRUE(bool(r["store"]));
  EXPECT_EQ(uint64_t(r["index_documents"]), 509u);
  EXPECT_EQ(r.reply.header("cache-control"), "no-store");
}

TEST_F(ServerTest, SearchByAuthorFindsTheSixKeplerPapers) {
  auto r = get_json("/api/search?q=" + url_encode("author:borucki") + "&size=20", 200);
  EXPECT_EQ(arxiv_ids(r["hits"]), kKeplerPapers);
  EXPECT_EQ(uint64_t(r["total_estimate"]), 6u);
  EXPECT_EQ(int64_t(r["page"]), 1);
  EXPECT_EQ(std::string_view(r["query"]), "author:borucki");
  for (element h : r["hits"].get_array()) {
    EXPECT_EQ(int64_t(h["year"]), 2011);
    EXPECT_FALSE(std::string_view(h["title"]).empty());
    EXPECT_EQ(array(h["authors"]).size(), array(h["author_ids"]).size());
  }
}

TEST_F(ServerTest, SearchPagesSortsAndFilters) {
  const std::string q = "q=" + url_encode("author:borucki");
  auto first = get_json("/api/search?" + q + "&size=4&sort=newest", 200);
  auto second = get_json("/api/search?" + q + "&size=4&page=2&sort=newest", 200);
  EXPECT_EQ(array(first["hits"]).size(), 4u);
  EXPECT_EQ(array(second["hits"]).size(), 2u);
  std::set<std::string> all = arxiv_ids(first["hits"]);
  for (const auto& id : arxiv_ids(second["hits"])) EXPECT_TRUE(all.insert(id).second) << id;
  EXPECT_EQ(all, kKeplerPapers);
  std::string previous = "9999";
  for (auto* page : {&first, &second}) {
    for (element h : (*page)["hits"].get_array()) {
      const std::string date{std::string_view(h["date"])};
      EXPECT_LE(date, previous);  // newest first
      previous = date;
    }
  }
  EXPECT_EQ(array(get_json("/api/search?" + q + "&year=2011", 200)["hits"]).size(), 6u);
  EXPECT_EQ(array(get_json("/api/search?" + q + "&year=2012..", 200)["hits"]).size(), 0u);
  auto astro = get_json("/api/search?" + q + "&category=astro-ph", 200);
  EXPECT_EQ(arxiv_ids(astro["hits"]), kKeplerPapers);
  EXPECT_EQ(array(get_json("/api/search?" + q + "&category=hep-th", 200)["hits"]).size(), 0u);
}

TEST_F(ServerTest, MalformedQueryOrParameterIs400WithAMessage) {
  auto r = get_json("/api/search?q=" + url_encode("planet AND"), 400);
  EXPECT_EQ(error_code(r), "bad_request");
  EXPECT_NE(std::string_view(r["error"]["message"]).find("planet AND"), std::string_view::npos);
  EXPECT_EQ(r.reply.header("cache-control"), "no-store");
  for (const std::string& bad : std::vector<std::string>{
           "q=a&size=1000", "q=a&size=ten", "q=a&page=0", "q=a&sort=sideways", "q=a&year=20x1",
           "q=a&year=2012..2010", "q=a&q=b", "q=a&category=" + url_encode("<script>"),
           "q=" + std::string(1025, 'x'), "q=%FF%FE"}) {
    auto reply = get_json("/api/search?" + bad, 400);
    EXPECT_EQ(error_code(reply), "bad_request") << bad;
    EXPECT_FALSE(std::string_view(reply["error"]["message"]).empty()) << bad;
  }
  EXPECT_EQ(error_code(get_json("/api/authors", 400)), "bad_request");  // q is required
  EXPECT_EQ(error_code(get_json("/api/authors/abc", 400)), "bad_request");
  EXPECT_EQ(error_code(get_json("/api/works/-3", 400)), "bad_request");
}

TEST_F(ServerTest, UnknownIdsAndPathsAre404) {
  EXPECT_EQ(error_code(get_json("/api/authors/987654321", 404)), "not_found");
  EXPECT_EQ(error_code(get_json("/api/authors/987654321/graph", 404)), "not_found");
  EXPECT_EQ(error_code(get_json("/api/works/987654321", 404)), "not_found");
  EXPECT_EQ(error_code(get_json("/api/nothing-here", 404)), "not_found");
  EXPECT_EQ(error_code(get_json("/no/such/page", 404)), "not_found");
}

TEST_F(ServerTest, AuthorSearchFindsBorucki) {
  auto r = get_json("/api/authors?q=borucki", 200);
  bool found = false;
  for (element a : r["authors"].get_array()) {
    if (std::string_view(a["name"]) == "William J. Borucki") {
      found = true;
      EXPECT_EQ(int64_t(a["works"]), 6);
    }
  }
  EXPECT_TRUE(found) << r.reply.body;
}

TEST_F(ServerTest, ProfileHasCountsTopicsCollaboratorsAndWorks) {
  const auto id = borucki_id();
  auto r = get_json("/api/authors/" + std::to_string(id), 200);
  EXPECT_EQ(std::string_view(r["name"]), "William J. Borucki");
  EXPECT_EQ(int64_t(r["author_id"]), id);
  EXPECT_EQ(int64_t(r["counts"]["works"]), 6);
  EXPECT_EQ(array(r["works"]).size(), 6u);
  EXPECT_EQ(int64_t(r["counts"]["topics"]), int64_t(array(r["topics"]).size()));
  EXPECT_GE(int64_t(r["counts"]["topics"]), 1);
  EXPECT_GE(int64_t(r["counts"]["close_collaborators"]), 1);
  std::set<std::string> ids;
  for (element w : r["works"].get_array()) {
    ids.emplace(std::string_view(w["arxiv_id"]));
    EXPECT_EQ(std::string_view(w["type"]), "preprint");
    EXPECT_EQ(std::string_view(w["venue"]), "arXiv");
    EXPECT_EQ(int64_t(w["year"]), 2011);
    EXPECT_FALSE(std::string_view(w["abstract"]).empty());
  }
  EXPECT_EQ(ids, kKeplerPapers);

  auto c = get_json("/api/authors/" + std::to_string(id) + "/collaborators", 200);
  EXPECT_EQ(array(c["collaborators"]).size(), uint64_t(r["counts"]["collaborators"]));
  int64_t close = 0;
  for (element x : c["collaborators"].get_array()) close += int64_t(x["shared_works"]) >= 2;
  EXPECT_EQ(close, int64_t(r["counts"]["close_collaborators"]));
}

TEST_F(ServerTest, GraphLinksTheAuthorWorksPeopleAndTopics) {
  const auto id = borucki_id();
  auto r = get_json("/api/authors/" + std::to_string(id) + "/graph", 200);
  std::set<std::string> nodes;
  std::map<std::string, int> kinds;
  for (element n : r["nodes"].get_array()) {
    EXPECT_TRUE(nodes.emplace(std::string_view(n["id"])).second) << "duplicate node";
    ++kinds[std::string(std::string_view(n["kind"]))];
  }
  EXPECT_TRUE(nodes.contains("author:" + std::to_string(id)));
  EXPECT_EQ(kinds["work"], 6);
  EXPECT_GE(kinds["author"], 2);
  EXPECT_GE(kinds["topic"], 1);
  std::size_t edges = 0;
  for (element e : r["edges"].get_array()) {
    ++edges;
    EXPECT_TRUE(nodes.contains(std::string(std::string_view(e["source"]))));
    EXPECT_TRUE(nodes.contains(std::string(std::string_view(e["target"]))));
  }
  EXPECT_GE(edges, nodes.size() - 1);  // at least connected to the centre
  auto small = get_json("/api/authors/" + std::to_string(id) + "/graph?works=2&people=3", 200);
  EXPECT_TRUE(bool(small["truncated"]));
}

TEST_F(ServerTest, WorkByIdNamesItsAuthorsWithIds) {
  auto hits = get_json("/api/search?q=" + url_encode("arxiv:1102.0541"), 200);
  ASSERT_EQ(array(hits["hits"]).size(), 1u);
  const int64_t work_id = int64_t(array(hits["hits"]).at(0)["work_id"]);
  auto w = get_json("/api/works/" + std::to_string(work_id), 200);
  EXPECT_EQ(std::string_view(w["arxiv_id"]), "1102.0541");
  EXPECT_EQ(std::string_view(w["title"]), std::string_view(array(hits["hits"]).at(0)["title"]));
  EXPECT_FALSE(bool(w["deleted"]));
  bool borucki = false;
  int64_t position = 0;
  for (element a : w["authors"].get_array()) {
    EXPECT_EQ(int64_t(a["position"]), ++position);
    if (std::string_view(a["name"]) == "William J. Borucki") {
      borucki = int64_t(a["author_id"]) == borucki_id();
    }
  }
  EXPECT_TRUE(borucki) << w.reply.body;
}

TEST_F(ServerTest, MergedAuthorIdRedirects) {
  const auto id = borucki_id();
  const std::int64_t old_id = 900000001;
  add_redirect(old_id, id);
  auto r = http_get(url("/api/authors/" + std::to_string(old_id)));
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.header("location"), "/api/authors/" + std::to_string(id));
  r = http_get(url("/api/authors/" + std::to_string(old_id) + "/graph?works=3"));
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.header("location"), "/api/authors/" + std::to_string(id) + "/graph?works=3");
  r = http_get(url("/authors/" + std::to_string(old_id)));
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.header("location"), "/authors/" + std::to_string(id));
}

TEST_F(ServerTest, EtagAndIfNoneMatch) {
  auto first = http_get(url("/api/stats"));
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_TRUE(etag.starts_with("W/\"")) << etag;  // weak: the body may be gzipped
  EXPECT_NE(first.header("cache-control").find("max-age="), std::string::npos);
  auto again = http_get(url("/api/stats"), {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("etag"), etag);
  auto list = http_get(url("/api/stats"), {"If-None-Match: \"0000\", " + etag.substr(2)});
  EXPECT_EQ(list.status, 304);
  auto other = http_get(url("/api/stats"), {"If-None-Match: \"0123456789abcdef\""});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  // A different body has a different tag.
  auto search = http_get(url("/api/search?q=kepler"));
  EXPECT_NE(search.header("etag"), etag);
}

TEST_F(ServerTest, StatsCountTheSample) {
  auto r = get_json("/api/stats", 200);
  EXPECT_EQ(int64_t(r["works"]), 509);
  EXPECT_EQ(int64_t(r["withdrawn"]), 7);
  EXPECT_EQ(uint64_t(r["index_documents"]), 509u);
  EXPECT_EQ(int64_t(r["pending_index"]), 0);
}

TEST_F(ServerTest, APortInUseIsAnError) {
  ServerOptions options;
  options.storage_dir = dir_->path();
  options.index_root = dir_->path() / "index";
  options.port = server_->port();
  options.log_requests = false;
  ApiServer second(options);
  EXPECT_EQ(second.start(), -1);
  EXPECT_EQ(http_get(url("/healthz")).status, 200);  // the first one still answers
}

TEST(ServerWithoutData, AnswersUnavailableUntilTheStoreExists) {
  TempDir empty("empty");
  ServerOptions options;
  options.storage_dir = empty.path();
  options.index_root = empty.path() / "index";
  options.port = 0;
  options.log_requests = false;
  ApiServer server(options);
  const int port = server.start();
  ASSERT_GT(port, 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  for (const char* path :
       {"/healthz", "/api/search?q=kepler", "/api/authors/1", "/api/stats", "/api/works/1"}) {
    auto r = http_get(base + path);
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_NE(r.body.find("\"error\"") == std::string::npos ? r.body.find("unavailable")
                                                            : r.body.find("\"unavailable\""),
              std::string::npos)
        << path << ": " << r.body;
  }
  EXPECT_EQ(http_get(base + "/").status, 200);  // the page itself still loads
  server.stop();
  server.stop();  // idempotent
}

}  // namespace
}  // namespace bzpeer::server::testing
