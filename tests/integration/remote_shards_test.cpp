// Scale past one machine: index shards served by xapian-tcpsrv and searched together
// through Xapian's remote backend answer exactly as the same shards opened locally, and as
// the project's own compacted index up to the order of equal-weight ties.
//
// The shards: `rebuild` writes shards and deletes them after compaction, so the test
// builds two shard databases itself with the project's IndexWriter, from the index
// documents of a store harvested (over loopback) from the real arXivRaw sample. Each shard
// is served by its own xapian-tcpsrv on a free 127.0.0.1 port; the servers are killed by
// the test (also when an assertion fails), and every wait is bounded.
//
// The remote shards are opened two ways: Xapian::Remote::open() for each shard, added to
// one Xapian::Database; and the project's IndexReader on an index root whose `current`
// stub names a second stub file listing `remote 127.0.0.1:PORT` lines (Xapian 1.4's stub
// syntax for the TCP remote backend; no change to the reader: Xapian follows the stub).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "harvest_support.hpp"
#include "index/search/index_files.hpp"
#include "index/search/search_index.hpp"

extern char** environ;

namespace bzpeer {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kTcpSrv = "/usr/bin/xapian-tcpsrv";

/// A port that was free a moment ago (bind to 0, read it back, close).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
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

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

/// One xapian-tcpsrv serving one database on 127.0.0.1; killed on destruction.
class TcpServer {
 public:
  explicit TcpServer(const fs::path& db) {
    for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) {
      port_ = free_port();
      if (port_ <= 0) continue;
      const std::string port = std::to_string(port_);
      const std::string path = db.string();
      std::vector<const char*> argv{kTcpSrv,      "--interface", "127.0.0.1", "--port",
                                    port.c_str(), "--quiet",     "--timeout", "60000",
                                    path.c_str(), nullptr};
      // Its messages (one per probe connection below) go to /dev/null.
      posix_spawn_file_actions_t quiet;
      posix_spawn_file_actions_init(&quiet);
      posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&quiet, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
      // Its own process group: on SIGTERM xapian-tcpsrv signals its whole process group
      // (its per-connection children), which must not include this test.
      posix_spawnattr_t attr;
      posix_spawnattr_init(&attr);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
      pid_t pid = 0;
      const int spawned = ::posix_spawn(&pid, kTcpSrv, &quiet, &attr,
                                        const_cast<char* const*>(argv.data()), environ);
      posix_spawnattr_destroy(&attr);
      posix_spawn_file_actions_destroy(&quiet);
      if (spawned != 0) continue;
      pid_ = pid;
      // Ready when it accepts a connection; gone when bind failed (port taken meanwhile).
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      while (std::chrono::steady_clock::now() < deadline) {
        if (accepts_connections(port_)) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = 0;  // exited: try another port
          break;
        }
        std::this_thread::sleep_for(20ms);
      }
      stop();
    }
  }
  ~TcpServer() { stop(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  [[nodiscard]] bool running() const { return pid_ > 0; }
  [[nodiscard]] int port() const { return port_; }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);  // the server and the children serving connections
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    pid_ = 0;
  }

 private:
  pid_t pid_ = 0;
  int port_ = -1;
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

/// An index root whose `current` stub points at `shards.stub`, which lists `lines`.
fs::path stub_root(const fs::path& root, const std::string& lines) {
  fs::create_directories(root);
  write_text(root / "shards.stub", lines);
  write_text(root / "current", "auto shards.stub\n");
  return root;
}

struct Hit {
  std::int64_t work_id;
  double weight;
};

struct Answer {
  std::vector<Hit> hits;
  std::uint64_t total = 0;
};

Answer ask(search::IndexReader& reader, search::SearchRequest request) {
  auto response = reader.search(request);
  EXPECT_TRUE(response) << request.query << ": " << response.error().describe();
  Answer a;
  if (!response) return a;
  a.total = response->total_estimate;
  for (const auto& h : response->hits) a.hits.push_back({h.work_id, h.weight});
  return a;
}

/// Same works in the same order with the same weights (to rounding).
void expect_identical(const Answer& local, const Answer& remote, const std::string& what) {
  EXPECT_EQ(local.total, remote.total) << what;
  ASSERT_EQ(local.hits.size(), remote.hits.size()) << what;
  for (std::size_t i = 0; i < local.hits.size(); ++i) {
    EXPECT_EQ(local.hits[i].work_id, remote.hits[i].work_id) << what << " rank " << i;
    EXPECT_NEAR(local.hits[i].weight, remote.hits[i].weight, 1e-9) << what << " rank " << i;
  }
}

/// The same (work, weight) pairs, ranked by weight; works of equal weight may come in
/// another order (ties go by document id, and the compacted build numbers documents
/// differently from the shards).
void expect_same_ranking(const Answer& built, const Answer& shards, const std::string& what) {
  EXPECT_EQ(built.total, shards.total) << what;
  ASSERT_EQ(built.hits.size(), shards.hits.size()) << what;
  auto canonical = [](std::vector<Hit> hits) {
    for (auto& h : hits) h.weight = std::round(h.weight * 1e9) / 1e9;
    std::ranges::stable_sort(hits, [](const Hit& a, const Hit& b) {
      return a.weight != b.weight ? a.weight > b.weight : a.work_id < b.work_id;
    });
    return hits;
  };
  const auto a = canonical(built.hits), b = canonical(shards.hits);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].work_id, b[i].work_id) << what << " rank " << i;
    EXPECT_EQ(a[i].weight, b[i].weight) << what << " rank " << i;
  }
  for (std::size_t i = 1; i < shards.hits.size(); ++i) {
    EXPECT_GE(shards.hits[i - 1].weight + 1e-9, shards.hits[i].weight) << what << " not ranked";
  }
}

TEST(RemoteShards, TcpServedShardsSearchLikeTheLocalIndex) {
  ASSERT_TRUE(fs::exists(kTcpSrv)) << kTcpSrv << " is missing (Debian package xapian-tools)";

  // A store from the real sample, its own (compacted) index, and every index document.
  auto replay = it::start_replay(it::sample_pages(), 100);
  it::Harness h("shards");
  const auto summary = h.harvest(replay->base_url());
  ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
  const fs::path built_root = h.dir() / "var" / "index";
  auto rebuilt = pipeline::rebuild_index(h.store(), built_root);
  ASSERT_TRUE(rebuilt) << rebuilt.error().describe();
  std::vector<search::IndexDocument> docs;
  auto fed = h.store().for_each_index_document(
      true, [&](const search::IndexDocument& d) { docs.push_back(d); }, nullptr);
  ASSERT_TRUE(fed) << fed.error().describe();
  ASSERT_GT(docs.size(), 400u);

  // Two shards, written by the project's writer; a work goes to the shard of its id.
  const fs::path shard_roots[] = {h.dir() / "shard-0", h.dir() / "shard-1"};
  std::size_t per_shard[2] = {0, 0};
  for (int s = 0; s < 2; ++s) {
    auto writer = search::IndexWriter::open(shard_roots[s]);
    ASSERT_TRUE(writer) << writer.error().describe();
    for (const auto& d : docs) {
      if (d.work_id % 2 != s) continue;
      ASSERT_TRUE(writer->upsert(d));
      ++per_shard[s];
    }
    ASSERT_TRUE(writer->commit());
  }
  ASSERT_GT(per_shard[0], 100u);
  ASSERT_GT(per_shard[1], 100u);
  fs::path shard_db[2];
  for (int s = 0; s < 2; ++s) {
    auto target = search::read_stub(shard_roots[s]);
    ASSERT_TRUE(target) << target.error().describe();
    shard_db[s] = fs::absolute(search::resolve_target(shard_roots[s], *target));
  }

  TcpServer server0(shard_db[0]), server1(shard_db[1]);
  ASSERT_TRUE(server0.running()) << "xapian-tcpsrv did not start for " << shard_db[0];
  ASSERT_TRUE(server1.running()) << "xapian-tcpsrv did not start for " << shard_db[1];
  const std::string remote0 = "remote 127.0.0.1:" + std::to_string(server0.port()) + "\n";
  const std::string remote1 = "remote 127.0.0.1:" + std::to_string(server1.port()) + "\n";

  // Xapian's remote backend directly: the two servers as one database.
  {
    Xapian::Database remote;
    remote.add_database(
        Xapian::Remote::open("127.0.0.1", static_cast<unsigned>(server0.port()), 10000, 10000));
    remote.add_database(
        Xapian::Remote::open("127.0.0.1", static_cast<unsigned>(server1.port()), 10000, 10000));
    Xapian::Database built(search::stub_path(built_root).string());
    EXPECT_EQ(remote.get_doccount(), docs.size());
    EXPECT_EQ(remote.get_doccount(), built.get_doccount());
    EXPECT_DOUBLE_EQ(remote.get_avlength(), built.get_avlength());
    for (const char* term : {"superconduct", "algebra", "string"}) {
      const std::string stemmed = Xapian::Stem("english")(term);
      EXPECT_GT(built.get_termfreq(stemmed), 0u) << term;  // STEM_ALL: unprefixed stems
      EXPECT_EQ(remote.get_termfreq(stemmed), built.get_termfreq(stemmed)) << term;
    }
  }

  // The project's reader on three roots: the compacted build, the shards opened locally
  // through a stub, and the shards served remotely through a stub.
  const fs::path local_root =
      stub_root(h.dir() / "local-shards",
                "auto " + shard_db[0].string() + "\nauto " + shard_db[1].string() + "\n");
  const fs::path remote_root = stub_root(h.dir() / "remote-shards", remote0 + remote1);
  auto built = search::IndexReader::open(built_root);
  auto local = search::IndexReader::open(local_root);
  auto remote = search::IndexReader::open(remote_root);
  ASSERT_TRUE(built) << built.error().describe();
  ASSERT_TRUE(local) << local.error().describe();
  ASSERT_TRUE(remote) << remote.error().describe();
  EXPECT_EQ(remote->document_count(), docs.size());

  struct Case {
    std::string query;
    search::SortOrder sort = search::SortOrder::relevance;
    std::vector<std::string> categories;
    /// Wildcards: Xapian 1.4 expands them in each remote server against its own shard, so
    /// the synonym's statistics (and so its weights) are per shard; the matches are the same.
    bool same_weights = true;
  };
  using search::SortOrder;
  const std::vector<Case> cases{
      {"superconductivity", SortOrder::relevance, {}, true},
      {"quantum field theory", SortOrder::relevance, {}, true},
      {"\"black hole\"", SortOrder::relevance, {}, true},
      {"title:algebra OR title:algebras", SortOrder::relevance, {}, true},
      {"author:wang", SortOrder::relevance, {}, true},
      {"string NOT theory", SortOrder::relevance, {}, true},
      {"model", SortOrder::newest, {}, true},
      {"energy", SortOrder::relevance, {"hep-th"}, true},
      {"categor* OR group", SortOrder::relevance, {}, false},
  };

  std::size_t nonempty = 0;
  for (const auto& c : cases) {
    search::SearchRequest request;
    request.query = c.query;
    request.sort = c.sort;
    request.categories = c.categories;
    request.limit = 1000;  // every match: counts are exact and ties cannot be cut apart
    request.suggest_below = 0;
    const Answer from_built = ask(*built, request);
    const Answer from_local = ask(*local, request);
    const Answer from_remote = ask(*remote, request);
    if (!from_built.hits.empty()) ++nonempty;
    EXPECT_EQ(from_built.total, from_built.hits.size()) << c.query;
    if (!c.same_weights) {
      auto ids = [](const Answer& a) {
        std::vector<std::int64_t> v;
        for (const auto& hit : a.hits) v.push_back(hit.work_id);
        std::ranges::sort(v);
        return v;
      };
      EXPECT_EQ(from_built.total, from_remote.total) << c.query;
      EXPECT_EQ(ids(from_built), ids(from_remote)) << c.query;
      EXPECT_EQ(ids(from_local), ids(from_remote)) << c.query;
      continue;
    }
    expect_identical(from_local, from_remote, c.query);
    if (c.sort == search::SortOrder::relevance) {
      expect_same_ranking(from_built, from_remote, c.query);
    } else {
      EXPECT_EQ(from_built.total, from_remote.total) << c.query;
    }
    // A first page is a prefix of the full ranking.
    request.limit = 10;
    const Answer page = ask(*remote, request);
    ASSERT_EQ(page.hits.size(), std::min<std::size_t>(10, from_remote.hits.size())) << c.query;
    for (std::size_t i = 0; i < page.hits.size(); ++i)
      EXPECT_EQ(page.hits[i].work_id, from_remote.hits[i].work_id) << c.query << " rank " << i;
  }
  EXPECT_GE(nonempty, cases.size() - 1) << "the queries must find something in the sample";

  server0.stop();
  server1.stop();
}

}  // namespace
}  // namespace bzpeer
