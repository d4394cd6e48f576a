// Load (issue 11): the real `bzpeer serve` answers 16 concurrent clients (half keeping their
// connection alive, half opening one per request) on a mix of routes (search, work, author
// profile and graph, stats, health, metrics) while `bzpeer harvest` and then `bzpeer
// rebuild` write the same storage. Every answer must be as expected: 200, or for a work or
// author id that does not exist (yet) 404, or for an author id merged away 308. And the
// server's resident memory must not keep growing: a second round equal to the first adds
// at most a small, stated amount.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "harvest_support.hpp"

namespace bzpeer::it {
namespace {

using Clock = std::chrono::steady_clock;

/// A loopback port that was free a moment ago.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

/// VmRSS of process `pid` in KiB (-1 when unknown).
long rss_kib(pid_t pid) {
  const std::string status = file_text("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("VmRSS:");
  return at == std::string::npos ? -1 : std::strtol(status.c_str() + at + 6, nullptr, 10);
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

/// One route of the mix and the statuses it may answer.
struct Route {
  std::string path;
  bool id_route = false;      ///< an id that may not exist (yet): 404 is expected
  bool author_route = false;  ///< an author id that a re-clustering may merge away: 308
};

std::vector<Route> route_mix() {
  std::vector<Route> routes = {
      {"/api/search?q=kepler&size=10"},
      {"/api/search?q=author%3Aborucki&sort=newest"},
      {"/api/search?q=galaxy&category=astro-ph&year=2011"},
      {"/api/search?q=planet+OR+star&page=2"},
      {"/api/stats"},
      {"/healthz"},
      {"/metrics"},
  };
  // Ids beyond those of the first harvest too: they appear during the run.
  for (int id = 1; id <= 120; id += 3) {
    routes.push_back({"/api/works/" + std::to_string(id), true, false});
    routes.push_back({"/api/authors/" + std::to_string(id * 3), true, true});
    routes.push_back({"/api/authors/" + std::to_string(id * 3 + 1) + "/graph", true, true});
  }
  return routes;
}

struct LoadResult {
  long requests = 0;
  long failures = 0;
  long not_found = 0;
};

/// `clients` threads request the mix until `stop`; half keep their connection alive.
class Load {
 public:
  Load(int port, int clients) {
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    const auto routes = route_mix();
    for (int c = 0; c < clients; ++c) {
      threads_.emplace_back([this, base, routes, c] {
        CURL* curl = curl_easy_init();
        std::string body;
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, c % 2 == 0 ? 0L : 1L);
        std::size_t i = static_cast<std::size_t>(c) * 5;
        while (!stop_.load()) {
          const Route& route = routes[i++ % routes.size()];
          const std::string url = base + route.path;
          body.clear();
          curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
          const CURLcode rc = curl_easy_perform(curl);
          long status = 0;
          if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
          ++requests_;
          const bool ok = (status == 200 && !body.empty()) || (status == 404 && route.id_route) ||
                          (status == 308 && route.author_route);
          if (status == 404) ++not_found_;
          if (!ok && ++failures_ <= 5) {
            std::fprintf(stderr, "%s -> %ld %s %.200s\n", url.c_str(), status,
                         rc == CURLE_OK ? "" : curl_easy_strerror(rc), body.c_str());
          }
          // A short pause between requests, so 16 clients leave the writers some of the
          // two cores CI has (the server still sees them all at once).
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        curl_easy_cleanup(curl);
      });
    }
  }
  ~Load() { finish(); }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  LoadResult finish() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    return {requests_.load(), failures_.load(), not_found_.load()};
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<long> requests_{0}, failures_{0}, not_found_{0};
  std::vector<std::thread> threads_;
};

TEST(ServeLoad, ManyClientsBesideAHarvestAndARebuildAllAnsweredAndMemoryStopsGrowing) {
  constexpr int kClients = 16;
  const std::string exe = bzpeer_exe();
  TempDir dir("serve-load");
  fs::create_directories(dir.path() / "pages");
  fs::copy_file(sample_pages() / "page-001.xml", dir.path() / "pages" / "page-001.xml");
  auto replay = start_replay(dir.path() / "pages", 25);
  const std::string config = write_cli_config(dir.path(), replay->base_url());
  std::string err;
  // The sample's first page file (102 records); the first 11 (until 2010) before the server
  // starts, so it has a store and an index to serve.
  ASSERT_EQ(run_process({exe, "--config", config, "harvest", "--until", "2010-12-31"}, dir.path(),
                        nullptr, &err),
            0)
      << err;

  const int port = free_port();
  ASSERT_GT(port, 0);
  Process serve({exe, "--config", config, "--quiet", "serve", "--listen",
                 "127.0.0.1:" + std::to_string(port)},
                dir.path() / "serve.out", dir.path() / "serve.err");
  ASSERT_TRUE(serve.started());
  {
    // Wait until it answers.
    CURL* curl = curl_easy_init();
    const std::string health = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, health.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    bool up = false;
    for (int i = 0; i < 400 && serve.running() && !up; ++i) {
      up = curl_easy_perform(curl) == CURLE_OK;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    curl_easy_cleanup(curl);
    ASSERT_TRUE(up) << file_text(dir.path() / "serve.err");
  }

  // A warm-up round without writers: the server's threads, caches and pools fill up.
  {
    Load load(port, kClients);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto r = load.finish();
    EXPECT_EQ(r.failures, 0);
  }
  const long rss_start = rss_kib(serve.pid());

  // A round: load while a harvest and then a rebuild write the storage; the load goes on
  // for at least `min_duration`.
  const auto round = [&](const std::vector<std::string>& harvest_args, const char* label) {
    const auto started = Clock::now();
    Load load(port, kClients);
    std::vector<std::string> harvest = {exe, "--config", config, "harvest"};
    harvest.insert(harvest.end(), harvest_args.begin(), harvest_args.end());
    std::string out;
    EXPECT_EQ(run_process(harvest, dir.path(), nullptr, &out), 0) << out;
    EXPECT_EQ(run_process({exe, "--config", config, "rebuild"}, dir.path(), nullptr, &out), 0)
        << out;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // after the swap, too
    const auto r = load.finish();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const long rss = rss_kib(serve.pid());
    std::printf(
        "[ load     ] %s: %d clients for %.1f s beside a harvest and a rebuild: %ld requests "
        "(%ld answered 404), %ld failed; server VmRSS %ld KiB\n",
        label, kClients, seconds, r.requests, r.not_found, r.failures, rss);
    EXPECT_GT(r.requests, 100);
    EXPECT_EQ(r.failures, 0);
    return rss;
  };
  // Round 1 adds the rest of the records; rounds 2 and 3 harvest the whole window again
  // (all unchanged) and rebuild: the same work each time.
  const long rss_1 = round({}, "round 1");
  const long rss_2 = round({"--from", "2009-01-01"}, "round 2");
  const long rss_3 = round({"--from", "2009-01-01"}, "round 3");
  ASSERT_TRUE(serve.running()) << file_text(dir.path() / "serve.err");
  ::kill(serve.pid(), SIGTERM);
  EXPECT_EQ(exit_code_of(serve.wait()), 0) << file_text(dir.path() / "serve.err");

  ASSERT_GT(rss_start, 0);
  std::printf(
      "[ load     ] server VmRSS: %ld KiB after warm-up, %+ld KiB in round 1, %+ld KiB in "
      "round 2, %+ld KiB in round 3\n",
      rss_start, rss_1 - rss_start, rss_2 - rss_1, rss_3 - rss_2);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer holds freed memory in its quarantine (up to 256 MiB), so resident
  // memory grows by design there; the Release build checks it.
  std::printf("[ load     ] memory growth not checked under AddressSanitizer\n");
#else
  // The third round, the same work as the second, may add at most 12 MiB: glibc's
  // per-thread arenas (32 workers) move resident memory by a few MiB either way from round
  // to round (measured in rounds 2 to 5: +2.7, +4.2, -2.3, +5.2 MiB; another run +6.9,
  // +2.0), so a tighter bound would be noise; a leak of 10 KiB per request (about 1,500 a
  // round) would exceed it.
  EXPECT_LT(rss_3 - rss_2, 12 * 1024) << "the server's memory keeps growing";
#endif
}

}  // namespace
}  // namespace bzpeer::it
