// bzpeer — a polite HTTP client for harvesting (libcurl).
//
// One HttpClient per source. It keeps one request at a time per host, waits at least
// `min_interval` between the start of two requests to the same host, honours
// Retry-After on 503 and 429, retries timeouts, dropped connections and other 5xx with
// capped exponential backoff and jitter, and gives up at once on a 4xx that will not
// heal. It follows redirects, accepts gzip, and sends a descriptive User-Agent.
//
// Thread-safety: an HttpClient may be shared between threads; requests to one host are
// serialised by a per-host gate (HostGates, host_gate.hpp), requests to different hosts
// run in parallel. By default every HttpClient in the process shares one set of gates,
// so two sources talking to the same host take turns as well.
//
// What a request does, attempt by attempt (at most retry.max_attempts):
// - wait for the host: no other request to it in flight, `min_interval` since the start
//   of the previous request to it (the moment it was sent, after connecting), and any
//   Retry-After/backoff deferral elapsed;
// - 2xx whose body passes `validate_body` (if set): returned;
// - 503 or 429 with a positive Retry-After (delta-seconds or HTTP-date): the host is
//   deferred by exactly that delay, capped at retry.max_backoff, with no jitter; this
//   deferral is kept even when no attempts are left, so the next caller honours it too;
// - 503/429 without Retry-After (or with a zero or unparseable one), other 5xx, 408, a
//   2xx body that fails validate_body, a timeout or a dropped/refused/reset connection:
//   capped exponential backoff with jitter (initial_backoff * 2^(attempt-1), ± jitter,
//   at most max_backoff);
// - any other 4xx (and a final 3xx that was not followed): ErrorCode::http_permanent at
//   once;
// - a malformed or non-http(s) URL: ErrorCode::invalid_argument at once; a redirect loop
//   (more than max_redirects): http_permanent; other curl errors that retrying cannot
//   fix (e.g. TLS certificate problems): transport at once.
// Redirects are followed inside one attempt, through the gate of the requested URL's host
// (a hop to another host does not take that host's gate).
//
// Logging (spdlog): each request at debug, Retry-After waits at info, backoff retries and
// giving up at warn, always naming the URL and the delay. URLs are logged and put into
// error messages through redact_url(), and header values in `extra_headers` are never
// logged.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "connectors/http/host_gate.hpp"
#include "pipeline/model/error.hpp"

namespace bzpeer::http {

struct RetryPolicy {
  int max_attempts = 6;                             ///< including the first
  std::chrono::milliseconds initial_backoff{1000};  ///< doubled per attempt
  std::chrono::milliseconds max_backoff{60000};     ///< cap for backoff and Retry-After
  double jitter = 0.2;                              ///< ± fraction of the delay, in [0, 1]
  std::uint64_t jitter_seed = 0;  ///< seed for the jitter generator; 0 = random_device
};

struct ClientOptions {
  std::string user_agent = "bzpeer/0.1 (+mailto:unset@example.org)";
  std::chrono::milliseconds min_interval{0};  ///< between requests to one host
  std::chrono::milliseconds connect_timeout{15000};
  std::chrono::milliseconds timeout{120000};  ///< whole transfer
  RetryPolicy retry;
  long max_redirects = 5;
  /// The largest body accepted, counted after decompression (a gzip bomb stops here too).
  /// A bigger response is refused with ErrorCode::http_permanent and not retried; a
  /// Content-Length over the cap is refused before the body is read.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  /// Optional extra check on a 2xx body; returning false makes the response count as a
  /// transient failure (retried). The OAI client uses it to retry truncated XML.
  /// It runs on the thread that called get() (so it must be thread-safe when the client
  /// is shared) while the host is held, so keep it cheap. A body that keeps failing ends in
  /// ErrorCode::http_temporary ("invalid body").
  std::function<bool(const std::string& body)> validate_body;
  /// Extra request headers ("Name: value"), e.g. an API token. Never logged.
  std::map<std::string, std::string> extra_headers;
  /// The politeness gates to take turns through; nullptr = HostGates::shared().
  std::shared_ptr<HostGates> gates;
  /// When true, a final 4xx other than 408/429 is returned as a Response (its status and
  /// body) instead of ErrorCode::http_permanent, so that a caller can read an API's error
  /// document (Crossref's validation-failure JSON, arXiv's Atom error feed). It is still
  /// not retried. Off by default.
  bool return_client_errors = false;
};

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-cased names, last value wins
  std::string effective_url;                   ///< after redirects
  int attempts = 0;                            ///< how many requests it took
};

/// Parses a Retry-After header value: delta-seconds or an HTTP-date. Returns the delay
/// from now, or nullopt when unparseable. A date in the past gives zero; a negative or
/// otherwise malformed value gives nullopt. Thread-safe.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

/// `url` fit for logs and error messages: a password in the userinfo and the values of
/// query parameters that usually carry secrets (api_key, apikey, key, token,
/// access_token, password, secret, …; matched case-insensitively by exact name) become
/// "***". Everything else, OAI-PMH resumptionTokens included, is kept. Thread-safe.
[[nodiscard]] std::string redact_url(const std::string& url);

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// GET `url` (http or https). Blocks, sleeping as politeness requires. Returns the final
  /// 2xx response (or 4xx response with `return_client_errors`), or an Error:
  /// - ErrorCode::http_permanent for a 4xx other than 408/429 (message names URL and status);
  /// - ErrorCode::http_temporary when 5xx/429/408 or invalid bodies persist after all attempts;
  /// - ErrorCode::transport when the connection kept failing (or failed in a way retrying
  ///   cannot fix);
  /// - ErrorCode::invalid_argument for a URL curl cannot parse or that is not http(s).
  /// Messages of retried failures name the URL, the last status or curl error and the
  /// number of attempts.
  [[nodiscard]] Result<Response> get(const std::string& url);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::http
