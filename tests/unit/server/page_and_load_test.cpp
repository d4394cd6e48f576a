// The web page (served from the binary, referencing only this server) and the server
// under many concurrent clients, also while the index is rebuilt underneath it.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>
#include <string_view>
#include <thread>

#include "index/store/store.hpp"
#include "pipeline/harvest_run.hpp"
#include "server_fixture.hpp"

namespace bzpeer::server::testing {
namespace {

/// Every src= and href= value in `html` (double-quoted). Scanned by hand: std::regex
/// trips g++ 12's false -Wmaybe-uninitialized in sanitizer builds.
std::vector<std::string> references(const std::string& html) {
  std::vector<std::string> out;
  const auto skip_spaces = [&](std::size_t i) {
    while (i < html.size() && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
    return i;
  };
  for (const std::string_view attr : {std::string_view("src"), std::string_view("href")}) {
    for (auto at = html.find(attr); at != std::string::npos; at = html.find(attr, at + 1)) {
      auto i = skip_spaces(at + attr.size());
      if (i >= html.size() || html[i] != '=') continue;
      i = skip_spaces(i + 1);
      if (i >= html.size() || html[i] != '"') continue;
      const auto end = html.find('"', i + 1);
      if (end == std::string::npos) continue;
      out.push_back(html.substr(i + 1, end - i - 1));
    }
  }
  return out;
}

/// Every http:// or https:// address in `text`, up to a quote, backtick, $ or space.
std::vector<std::string> absolute_addresses(const std::string& text) {
  std::vector<std::string> out;
  constexpr std::string_view kStop = "`\"'$";
  std::size_t at = text.find("http");
  while (at != std::string::npos) {
    const std::string_view rest = std::string_view(text).substr(at);
    const std::size_t scheme = rest.starts_with("https://")  ? 8
                               : rest.starts_with("http://") ? 7
                                                             : 0;
    if (scheme == 0) {
      at = text.find("http", at + 1);
      continue;
    }
    std::size_t end = scheme;
    while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end])) &&
           kStop.find(rest[end]) == std::string_view::npos) {
      ++end;
    }
    out.emplace_back(rest.substr(0, end));
    at = text.find("http", at + end);
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

  const std::set<std::string> allowed = {"http://www.w3.org/2000/svg", "https://arxiv.org/abs/",
                                         "https://doi.org/", "https://orcid.org/"};
  const auto addresses = absolute_addresses(js.body);
  for (const auto& address : addresses) {
    EXPECT_TRUE(allowed.contains(address)) << "unexpected address in app.js: " << address;
  }
  // The scan sees them at all: the script draws SVG.
  EXPECT_NE(std::ranges::find(addresses, "http://www.w3.org/2000/svg"), addresses.end());
  EXPECT_NE(js.body.find("/api/"), std::string::npos);  // it reads the JSON API
  EXPECT_EQ(http_get(url("/assets/nothing.js")).status, 404);
  EXPECT_EQ(http_get(url("/assets/index.html")).status, 404);
}

/// What a load run saw.
struct LoadFigures {
  std::size_t requests = 0;
  int failures = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;  ///< sorted

  [[nodiscard]] double percentile(double p) const {
    if (latencies_ms.empty()) return 0;
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(latencies_ms.size()));
    return latencies_ms[std::min(i, latencies_ms.size() - 1)];
  }
};

/// `clients` threads, each asking for `paths` in turn (from a different starting point)
/// until `duration` has passed (each at least once). With `keep_alive` a client reuses one
/// connection, as a browser does; otherwise each request opens a new one. Any answer but
/// a non-empty 200 is a failure (a client the server never answers times out after 30 s).
LoadFigures run_load(const std::string& base, const std::vector<std::string>& paths, int clients,
                     std::chrono::milliseconds duration, bool keep_alive) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> failures{0};
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto& mine = latencies[static_cast<std::size_t>(c)];
      CURL* curl = curl_easy_init();
      std::string body;
      curl_easy_setopt(
          curl, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t size, std::size_t n, void* out) {
            static_cast<std::string*>(out)->append(data, size * n);
            return size * n;
          });
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, keep_alive ? 0L : 1L);
      auto i = static_cast<std::size_t>(c);
      do {
        const std::string url = base + paths[i++ % paths.size()];
        body.clear();
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        const auto t0 = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(curl);
        mine.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        long status = 0;
        if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200 || body.empty()) {
          if (++failures <= 5) {
            std::fprintf(stderr, "%s -> %ld %s %.200s\n", url.c_str(), status,
                         rc == CURLE_OK ? "" : curl_easy_strerror(rc), body.c_str());
          }
        }
      } while (std::chrono::steady_clock::now() < deadline);
      curl_easy_cleanup(curl);
    });
  }
  for (auto& t : threads) t.join();
  LoadFigures out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& l : latencies)
    out.latencies_ms.insert(out.latencies_ms.end(), l.begin(), l.end());
  std::ranges::sort(out.latencies_ms);
  out.requests = out.latencies_ms.size();
  out.failures = failures.load();
  return out;
}

/// The mix a reader of the page causes: searches (with facets and filters), profiles,
/// graphs, works, the page itself and its assets.
std::vector<std::string> page_mix(std::int64_t author_id) {
  const auto id = std::to_string(author_id);
  return {"/api/search?q=kepler&size=10",
          "/api/search?q=" + url_encode("author:borucki") + "&sort=newest",
          "/api/search?q=galaxy&category=astro-ph&year=2011",
          "/api/search?q=" + url_encode("\"dark matter\" OR neutrino") + "&page=2",
          "/api/authors/" + id,
          "/api/authors/" + id + "/graph?works=12&people=14",
          "/api/authors/" + id + "/collaborators",
          "/api/authors?q=borucki",
          "/api/works/1",
          "/api/stats",
          "/healthz",
          "/",
          "/authors/" + id,
          "/assets/app.js"};
}

void print_load(const char* label, int clients, const LoadFigures& f) {
  std::printf(
      "[ load     ] %s: %d clients for %.1f s: %zu requests (%.0f/s), %d errors; "
      "latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      label, clients, f.seconds, f.requests, static_cast<double>(f.requests) / f.seconds,
      f.failures, f.percentile(50), f.percentile(90), f.percentile(99),
      f.latencies_ms.empty() ? 0.0 : f.latencies_ms.back());
}

/// Many clients at once for a bounded time, each opening a connection per request: every
/// answer is a 200 and every client is served. Prints the latency percentiles (speed is
/// measured by tools/bench, not asserted here).
TEST_F(ServerTest, ManyConcurrentClients) {
  constexpr int kClients = 48;
  const auto figures =
      run_load(url(""), page_mix(borucki_id()), kClients, std::chrono::milliseconds(2000), false);
  print_load("new connection per request", kClients, figures);
  EXPECT_EQ(figures.failures, 0);
}

/// Clients that keep their connection open between requests, as browsers do, three times
/// as many as the server has worker threads: every request is answered.
TEST_F(ServerTest, ManyKeepAliveClients) {
  constexpr int kClients = 24;
  const auto figures =
      run_load(url(""), page_mix(borucki_id()), kClients, std::chrono::milliseconds(2000), true);
  print_load("keep-alive connections", kClients, figures);
  EXPECT_EQ(figures.failures, 0);
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
