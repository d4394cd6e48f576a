// Shared set-up for the HTTP API tests: one store and index harvested from the bundled
// arXiv sample (replay server on loopback), an ApiServer over it on a free loopback
// port, and a small libcurl client that does not follow redirects.
#pragma once

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "index/store/store.hpp"
#include "tools/server/api_server.hpp"

namespace bzpeer::server::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = fs::temp_directory_path() / ("bzpeer-server-" + tag + "-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

struct HttpReply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lower-cased
  std::string curl_error;                      ///< set when the request failed

  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

/// GET `url` with extra request headers ("Name: value"); redirects are not followed.
HttpReply http_get(const std::string& url, const std::vector<std::string>& headers = {});

/// Percent-encodes a query parameter value.
std::string url_encode(const std::string& text);

/// A parsed JSON reply; `root` stays valid as long as this object lives.
struct JsonReply {
  HttpReply reply;
  std::unique_ptr<simdjson::dom::parser> parser = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  simdjson::dom::element operator[](std::string_view key) const { return root[key]; }
};

/// The store and index are built once for the whole suite (harvesting 509 records per
/// test would dominate the run time); tests only read them, except for adding author
/// redirects with ids no other test uses.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  /// "http://127.0.0.1:PORT" + path
  static std::string url(const std::string& path);
  /// GET and parse as JSON; expects `expected_status` and a JSON body.
  static JsonReply get_json(const std::string& path, long expected_status);
  /// William J. Borucki's author id, looked up through /api/authors.
  static std::int64_t borucki_id();
  /// Adds author_redirects(old_id -> new_id), as a re-clustering would.
  static void add_redirect(std::int64_t old_id, std::int64_t new_id);

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ApiServer> server_;
};

}  // namespace bzpeer::server::testing
