// bzpeer — a polite HTTP client for harvesting (libcurl).
//
// One HttpClient per source. It keeps one request at a time per host, waits at least
// `min_interval` between the start of two requests to the same host, honours
// Retry-After on 503 and 429, retries timeouts, dropped connections and other 5xx with
// capped exponential backoff and jitter, and gives up at once on a 4xx that will not
// heal. It follows redirects, accepts gzip, and sends a descriptive User-Agent.
//
// Thread-safety: an HttpClient may be shared between threads; requests to one host are
// serialised by an internal per-host gate, requests to different hosts run in parallel.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "pipeline/model/error.hpp"

namespace bzpeer::http {

struct RetryPolicy {
  int max_attempts = 6;                                   ///< including the first
  std::chrono::milliseconds initial_backoff{1000};        ///< doubled per attempt
  std::chrono::milliseconds max_backoff{60000};           ///< cap for backoff and Retry-After
  double jitter = 0.2;                                    ///< ± fraction of the delay
};

struct ClientOptions {
  std::string user_agent = "bzpeer/0.1 (+mailto:unset@example.org)";
  std::chrono::milliseconds min_interval{0};              ///< between requests to one host
  std::chrono::milliseconds connect_timeout{15000};
  std::chrono::milliseconds timeout{120000};              ///< whole transfer
  RetryPolicy retry;
  long max_redirects = 5;
  /// Optional extra check on a 200 body; returning false makes the response count as a
  /// transient failure (retried). The OAI client uses it to retry truncated XML.
  std::function<bool(const std::string& body)> validate_body;
};

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-cased names, last value wins
  std::string effective_url;                   ///< after redirects
  int attempts = 0;                            ///< how many requests it took
};

/// Parses a Retry-After header value: delta-seconds or an HTTP-date. Returns the delay
/// from now, or nullopt when unparseable.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// GET `url`. Returns the final 2xx response, or an Error:
  /// - ErrorCode::http_permanent for a 4xx other than 408/429 (message names URL and status);
  /// - ErrorCode::http_temporary when 5xx/429/408 or invalid bodies persist after all attempts;
  /// - ErrorCode::transport when the connection kept failing.
  [[nodiscard]] Result<Response> get(const std::string& url);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::http
