// Helpers for the harvest integration tests: temporary stores, in-process harvests against
// a loopback server, and the store's exact contents as comparable lines.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "index/queries/export.hpp"
#include "pipeline/harvest_run.hpp"
#include "tools/replay_server/replay_server.hpp"

extern char** environ;

namespace bzpeer::it {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TempDir {
 public:
  explicit TempDir(const std::string& tag = "h") {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("bzpeer-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline fs::path fixtures() {
  return fs::path(BZPEER_FIXTURES) / "oai";
}
inline fs::path sample_pages() {
  return fixtures() / "arxivraw-sample";
}

/// A pages directory for the replay server: the sample in a/, then `extra` fixture files
/// in b/ (loaded later, so they win over sample records with the same datestamp).
inline void make_pages_dir(const fs::path& dir, const std::vector<std::string>& extra) {
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  for (const auto& entry : fs::directory_iterator(sample_pages())) {
    fs::copy_file(entry.path(), dir / "a" / entry.path().filename());
  }
  for (const auto& name : extra) {
    fs::copy_file(fixtures() / "arxivraw-updates" / name, dir / "b" / name);
  }
}

/// Client options for tests: no politeness interval, millisecond backoffs, and a cap high
/// enough that a Retry-After of 1 s is honoured as sent.
inline http::ClientOptions test_client_options(int max_attempts = 4) {
  http::ClientOptions options;
  options.user_agent = "bzpeer-test/0 (+mailto:test@example.org)";
  options.min_interval = 0ms;
  options.connect_timeout = 2000ms;
  options.timeout = 10000ms;
  options.retry.max_attempts = max_attempts;
  options.retry.initial_backoff = 5ms;
  options.retry.max_backoff = 2000ms;
  options.retry.jitter = 0.0;
  options.validate_body = [](const std::string& body) { return oai::is_well_formed_xml(body); };
  return options;
}

/// The store's exact contents: one line per exported work and per authorship.
struct Contents {
  std::vector<std::string> works;
  std::vector<std::string> authorships;
  bool operator==(const Contents&) const = default;
};

/// With `ids`, work and author ids are part of each line (for stores that must be
/// identical); without, only what the records said (for stores that differ by a work).
inline Contents contents(store::Store& store, bool ids = true) {
  Contents c;
  auto w = queries::export_works(store, [&](const queries::ExportWork& x) {
    std::string line = (ids ? std::to_string(x.work_id) + "|" : std::string()) + x.arxiv_id + "|" +
                       x.title + "|" + std::to_string(x.year) + "|" + x.type + "|" +
                       (x.withdrawn ? "withdrawn" : "live");
    for (const auto& d : x.dois) line += "|doi:" + d;
    for (const auto& s : x.sources) line += "|src:" + s;
    for (const auto& t : x.topics) line += "|topic:" + t;
    c.works.push_back(std::move(line));
  });
  EXPECT_TRUE(w) << w.error().describe();
  auto a = queries::export_authorships(store, [&](const queries::ExportAuthorship& x) {
    c.authorships.push_back((ids ? std::to_string(x.work_id) + "|" : std::string()) + x.arxiv_id +
                            "|" + x.source + "|" + std::to_string(x.position) + "|" + x.name +
                            (ids ? "|" + std::to_string(x.author_id) : std::string()));
  });
  EXPECT_TRUE(a) << a.error().describe();
  return c;
}

/// A store in a temporary directory, harvested in-process.
class Harness {
 public:
  explicit Harness(const std::string& tag = "h") : dir_(tag) { reopen(); }

  void reopen() {
    store_.reset();
    auto s = store::Store::open(dir_.path() / "var", store::OpenMode::read_write);
    ASSERT_TRUE(s) << s.error().describe();
    store_ = std::make_unique<store::Store>(std::move(*s));
  }

  pipeline::HarvestSummary harvest(const std::string& url, const std::string& from = "",
                                   const http::ClientOptions& http_options = test_client_options(),
                                   int max_empty_pages = 20) {
    http::HttpClient http(http_options);
    pipeline::HarvestOptions options;
    options.source.name = "arxiv";
    options.source.url = url;
    options.source.metadata_prefix = "arXivRaw";
    options.source.min_interval_s = 0;
    options.from = from;
    options.max_empty_pages = max_empty_pages;
    return pipeline::harvest_source(options, *store_, http);
  }

  void index() {
    auto stats = pipeline::consolidate_and_index(*store_, dir_.path() / "var" / "index");
    ASSERT_TRUE(stats) << stats.error().describe();
  }

  Contents contents(bool ids = true) { return it::contents(*store_, ids); }

  store::Checkpoint checkpoint() {
    auto cp = store_->checkpoint("arxiv", "", "arXivRaw");
    EXPECT_TRUE(cp && *cp);
    return cp && *cp ? **cp : store::Checkpoint{};
  }

  [[nodiscard]] store::Store& store() { return *store_; }
  [[nodiscard]] const fs::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

/// The replay server over `pages_dir` with `page_size` records per page.
inline std::unique_ptr<replay::ReplayServer> start_replay(const fs::path& pages_dir,
                                                          int page_size) {
  replay::ServerOptions options;
  options.pages_dir = pages_dir;
  options.page_size = page_size;
  auto server = std::make_unique<replay::ReplayServer>(options);
  EXPECT_GT(server->start(), 0);
  return server;
}

/// What an uninterrupted, fault-free harvest of the sample stores, before consolidation
/// (computed once). Consolidation is a function of this; the fault tests compare what the
/// harvest itself stored.
inline const Contents& clean_contents() {
  static const Contents clean = [] {
    auto server = start_replay(sample_pages(), 100);
    Harness h("clean");
    auto summary = h.harvest(server->base_url());
    EXPECT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
    return h.contents();
  }();
  return clean;
}

// --- the real executables ---------------------------------------------------------------

/// The `bzpeer` executable of this build.
inline std::string bzpeer_exe() {
  return std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer";
}

/// A whole file (empty when it cannot be read).
inline std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A child process (posix_spawn, argv[0] a path) with stdout and stderr in files. Killed
/// with SIGKILL and reaped when destroyed while it still runs.
class Process {
 public:
  Process(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Process() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  /// True while the process has not exited.
  bool running() {
    if (status_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    return !status_;
  }
  /// Waits for the exit; the wait status.
  int wait() {
    if (!status_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      status_ = status;
    }
    return *status_;
  }
  /// SIGKILL; true when the process was still running (so the kill interrupted it).
  bool kill9() {
    if (!running()) return false;
    ::kill(pid_, SIGKILL);
    const int status = wait();
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// The exit code of a wait status (-1 when the process did not exit by itself).
inline int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Runs a command to completion with stdout and stderr in `dir`/run.out and run.err;
/// returns its exit code and, when asked, what it wrote.
inline int run_process(const std::vector<std::string>& args, const fs::path& dir,
                       std::string* out = nullptr, std::string* err = nullptr) {
  Process child(args, dir / "run.out", dir / "run.err");
  if (!child.started()) return -1;
  const int code = exit_code_of(child.wait());
  if (out) *out = file_text(dir / "run.out");
  if (err) *err = file_text(dir / "run.err");
  return code;
}

/// What the sqlite3 shell prints for `sql` on the store under `storage` (only index/ links
/// SQLite).
inline std::string store_sql(const fs::path& storage, const std::string& sql) {
  std::string out;
  TempDir scratch("sqlite");
  run_process({"/usr/bin/sqlite3", (storage / "store.sqlite").string(), sql}, scratch.path(), &out);
  return out;
}

/// SQLite's `PRAGMA integrity_check` of the store under `storage` ("ok\n" when intact).
inline std::string store_integrity(const fs::path& storage) {
  return store_sql(storage, "PRAGMA integrity_check;");
}

/// Writes `dir`/bzpeer.toml: storage `dir`/var, one OAI-PMH source "arxiv" (arXivRaw) at
/// `url` without politeness pauses, short backoffs. Returns the file's path.
inline std::string write_cli_config(const fs::path& dir, const std::string& url) {
  const fs::path config = dir / "bzpeer.toml";
  std::ofstream(config) << "[storage]\ndir = \"" << (dir / "var").string() << "\"\n"
                        << "[harvest]\ncontact = \"test@localhost\"\nmax_attempts = 4\n"
                        << "initial_backoff_s = 0.01\nmax_backoff_s = 0.5\ntimeout_s = 20\n"
                        << "[[source]]\nname = \"arxiv\"\nkind = \"oai-pmh\"\nurl = \"" << url
                        << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
  return config.string();
}

}  // namespace bzpeer::it
