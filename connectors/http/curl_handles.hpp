// bzpeer — RAII owners for libcurl handles and the once-only global initialisation.
//
// Internal to connectors/http; nothing outside this folder includes curl.h.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace bzpeer::http::detail {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const noexcept { curl_free(text); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

/// A header list that grows by append(); owns every node.
class CurlSlist {
 public:
  /// Appends a copy of `line`; returns false when curl could not allocate.
  bool append(const char* line) noexcept {
    curl_slist* grown = curl_slist_append(list_.get(), line);
    if (grown == nullptr) return false;
    (void)list_.release();  // `grown` is the same list (or a new head when it was empty)
    list_.reset(grown);
    return true;
  }
  [[nodiscard]] curl_slist* get() const noexcept { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, CurlSlistDeleter> list_;
};

/// Runs curl_global_init exactly once per process, thread-safely (a function-local
/// static), and returns its result on every call. curl_global_cleanup is never called:
/// other libraries in the process may still use curl at exit, and the OS reclaims it.
[[nodiscard]] CURLcode ensure_curl_global_init() noexcept;

}  // namespace bzpeer::http::detail
