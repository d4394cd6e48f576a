// Test helpers for the REST and file connectors: fixtures, a loopback server that serves
// a recorded page chain, and a loop that walks a connector to its last page.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"
#include "tests/unit/http/loopback.hpp"

namespace bzpeer::testing {

namespace fs = std::filesystem;

inline std::string read_fixture(const std::string& relative) {
  std::ifstream in(fs::path(BZPEER_FIXTURES) / relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("bzpeer-conn-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// What a request to a chain carried.
struct ChainRequest {
  std::string path;
  std::map<std::string, std::string> params;  ///< decoded query parameters
};

/// Serves `pages` in order on `path`, one per request, like a server-side scroll cursor,
/// then `terminal` for every further request. Records each request.
class ChainServer {
 public:
  ChainServer(std::string path, std::vector<std::string> pages, std::string terminal,
              std::string content_type = "application/json")
      : pages_(std::move(pages)), terminal_(std::move(terminal)) {
    server_.server().Get(path,
                         [this, content_type](const httplib::Request& req, httplib::Response& res) {
                           std::lock_guard lock(mutex_);
                           ChainRequest r{req.path, {}};
                           for (const auto& [k, v] : req.params) r.params[k] = v;
                           requests_.push_back(std::move(r));
                           const std::size_t n = requests_.size() - 1;
                           res.set_content(n < pages_.size() ? pages_[n] : terminal_, content_type);
                         });
  }
  void start() { server_.start(); }
  httplib::Server& raw() { return server_.server(); }
  [[nodiscard]] std::string url(const std::string& path) const { return server_.url(path); }
  [[nodiscard]] std::vector<ChainRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::vector<std::string> pages_;
  std::string terminal_;
  mutable std::mutex mutex_;
  std::vector<ChainRequest> requests_;
  http::testing::LoopbackServer server_;
};

inline http::ClientOptions fast_client() {
  http::ClientOptions options;
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  options.return_client_errors = true;
  return options;
}

/// Pages until `last` (or failure); at most `max_pages`.
struct Walk {
  std::vector<ConnectorPage> pages;
  std::vector<std::string> states;  ///< the state each page was requested with
  std::optional<Error> error;
  [[nodiscard]] std::vector<SourceRecord> records() const {
    std::vector<SourceRecord> out;
    for (const auto& p : pages) out.insert(out.end(), p.records.begin(), p.records.end());
    return out;
  }
};

inline Walk walk(Connector& connector, std::string state = {}, int max_pages = 100) {
  Walk w;
  for (int i = 0; i < max_pages; ++i) {
    w.states.push_back(state);
    auto page = connector.next_page(state);
    if (!page) {
      w.error = page.error();
      return w;
    }
    w.pages.push_back(*page);
    if (page->last) return w;
    state = page->next_state;
  }
  ADD_FAILURE() << "connector did not reach its last page in " << max_pages << " pages";
  return w;
}

}  // namespace bzpeer::testing
