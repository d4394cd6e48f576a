// The web page (served from the binary, referencing only this server) and the server
// under many concurrent clients, also while the index is rebuilt underneath it.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <regex>
#include <set>
#include <thread>

#include "index/store/store.hpp"
#include "pipeline/harvest_run.hpp"
#include "server_fixture.hpp"

namespace bzpeer::server::testing {
namespace {

/// Every src= and href= value in `html`.
std::vector<std::string> references(const std::string& html) {
  static const std::regex kRef(R"re((?:src|href)\s*=\s*"([^"]*)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(html.begin(), html.end(), kRef), end; it != end; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

TEST_F(ServerTest, PageIsServedAtEveryShareableAddress) {
  const auto id = std::to_string(borucki_id());
  const auto home = http_get(url("/"));
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(home.header("content-security-policy").find("default-src 'none'"), std::string::npos);
  EXPECT_NE(home.body.find("<html"), std::string::npos);
  for (const std::string& path :
       std::vector<std::string>{"/search?q=kepler", "/authors/" + id, "/works/1"}) {
    const auto page = http_get(url(path));
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, home.body) << path;  // one shell; the script reads the address
  }
  // Only local assets, and each of them is served.
  const auto refs = references(home.body);
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    if (ref.starts_with("#")) continue;  // a place on the same page
    EXPECT_EQ(ref.rfind("/", 0), 0u) << "not a local address: " << ref;
    EXPECT_NE(ref.rfind("//", 0), 0u) << "protocol-relative address: " << ref;
    if (ref.starts_with("/assets/")) {
      const auto asset = http_get(url(ref));
      EXPECT_EQ(asset.status, 200) << ref;
      EXPECT_FALSE(asset.body.empty()) << ref;
      EXPECT_NE(asset.header("etag"), "") << ref;
    }
  }
  EXPECT_NE(home.body.find("/assets/app.js"), std::string::npos);
  EXPECT_NE(home.body.find("/assets/app.css"), std::string::npos);
  const auto js = http_get(url("/assets/app.js"));
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  // The only absolute addresses in the script: the SVG namespace and outbound links a
  // reader may follow (arXiv, DOI, ORCID). It fetches nothing from them.
  static const std::regex kAbsolute(R"re(https?://[^`"'$\s]*)re");
  const std::set<std::string> allowed = {"http://www.w3.org/2000/svg", "https://arxiv.org/abs/",
                                         "https://doi.org/", "https://orcid.org/"};
  for (std::sregex_iterator it(js.body.begin(), js.body.end(), kAbsolute), end; it != end; ++it) {
    EXPECT_TRUE(allowed.contains(it->str())) << "unexpected address in app.js: " << it->str();
  }
  EXPECT_NE(js.body.find("/api/"), std::string::npos);  // it reads the JSON API
  EXPECT_EQ(http_get(url("/assets/nothing.js")).status, 404);
  EXPECT_EQ(http_get(url("/assets/index.html")).status, 404);
}

/// Many clients at once, mixed endpoints: no errors; prints the latency percentiles.
TEST_F(ServerTest, ManyConcurrentClients) {
  const auto id = std::to_string(borucki_id());
  const std::vector<std::string> paths = {"/api/search?q=kepler&size=10",
                                          "/api/search?q=" + url_encode("author:borucki"),
                                          "/api/authors/" + id,
                                          "/api/authors/" + id + "/graph",
                                          "/api/authors?q=borucki",
                                          "/api/stats",
                                          "/healthz",
                                          "/"};
  constexpr int kClients = 16;
  constexpr int kRequestsEach = 40;
  std::vector<std::vector<double>> latencies(kClients);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kRequestsEach; ++i) {
        const auto& path = paths[static_cast<std::size_t>(c + i) % paths.size()];
        const auto start = std::chrono::steady_clock::now();
        const auto r = http_get(url(path));
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (r.status != 200) {
          ++failures;
          std::fprintf(stderr, "%s -> %ld %s %s\n", path.c_str(), r.status, r.curl_error.c_str(),
                       r.body.c_str());
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::ranges::sort(all);
  ASSERT_EQ(all.size(), std::size_t{kClients * kRequestsEach});
  std::printf("[ load     ] %zu requests from %d clients: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              all.size(), kClients, all[all.size() / 2], all[all.size() * 99 / 100], all.back());
}

/// Readers keep answering while the index is rebuilt and swapped twice underneath.
TEST_F(ServerTest, KeepsAnsweringDuringARebuild) {
  std::atomic<bool> done{false};
  std::atomic<int> requests{0}, failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 2; ++c) {
    clients.emplace_back([&] {
      while (!done.load()) {
        const auto r = http_get(url("/api/search?q=" + url_encode("author:borucki")));
        ++requests;
        if (r.status != 200 || r.body.find("1102.0555") == std::string::npos) {
          ++failures;
          std::fprintf(stderr, "during rebuild: %ld %s\n", r.status, r.body.c_str());
        }
      }
    });
  }
  {
    auto store = store::Store::open(dir_->path(), store::OpenMode::read_write);
    ASSERT_TRUE(store) << store.error().describe();
    for (int i = 0; i < 2; ++i) {
      auto rebuilt = pipeline::rebuild_index(*store, dir_->path() / "index");
      EXPECT_TRUE(rebuilt) << rebuilt.error().describe();
    }
  }
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_GT(requests.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace bzpeer::server::testing
