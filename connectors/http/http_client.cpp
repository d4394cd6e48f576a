// bzpeer — the polite HTTP client (see http_client.hpp for the contract).
#include "connectors/http/http_client.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>
#include <string_view>
#include <utility>

#include "connectors/http/curl_handles.hpp"

namespace bzpeer::http {
namespace {

using std::chrono::milliseconds;

// What one curl_easy_perform produced.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_error;  // CURLOPT_ERRORBUFFER, or curl_easy_strerror when empty
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string effective_url;
  HostGates::Lease* lease = nullptr;  // the host this attempt holds
  std::size_t max_body = 0;           // ClientOptions::max_body_bytes
  bool too_large = false;             // the body passed max_body: transfer aborted
};

// Why an attempt did not produce a usable response, for the final error message.
enum class Failure { server, transport, invalid_body };

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  try {
    auto& attempt = *static_cast<Attempt*>(user);
    if (size * count > attempt.max_body - attempt.body.size()) {
      attempt.too_large = true;
      return 0;  // curl aborts the transfer with CURLE_WRITE_ERROR
    }
    attempt.body.append(data, size * count);
    return size * count;
  } catch (...) {
    return 0;  // curl aborts the transfer with CURLE_WRITE_ERROR
  }
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  try {
    auto& attempt = *static_cast<Attempt*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
      // A new status line: a redirect hop or an interim 1xx. Keep only the last response's
      // headers.
      attempt.headers.clear();
      return size * count;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return size * count;
    auto value = line.substr(colon + 1);
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
    attempt.headers[lower(line.substr(0, colon))] = std::string(value);
    return size * count;
  } catch (...) {
    return 0;
  }
}

#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0: CURLOPT_PREREQFUNCTION
// Called once the connection is up, right before the request goes out (again on each
// redirect hop): that is the "start" min_interval is measured from.
int on_request_sent(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
                    int /*local_port*/) noexcept {
  static_cast<Attempt*>(user)->lease->mark_sent();
  return CURL_PREREQFUNC_OK;
}
#endif

// Failures where a later attempt may well succeed: the network or the server hiccupped.
bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:  // refused
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:  // body shorter than Content-Length: dropped mid-transfer
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:  // accepted and closed without a reply
    case CURLE_SEND_ERROR:   // reset while sending
    case CURLE_RECV_ERROR:   // reset while receiving
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_AGAIN: return true;
    default: return false;
  }
}

std::string describe(const Attempt& attempt) {
  if (attempt.code != CURLE_OK) {
    return "curl error " + std::to_string(static_cast<int>(attempt.code)) + " (" +
           attempt.curl_error + ")";
  }
  return "HTTP " + std::to_string(attempt.status);
}

}  // namespace

struct HttpClient::Impl {
  explicit Impl(ClientOptions opts)
      : options(std::move(opts)),
        gates(options.gates ? options.gates : HostGates::shared()),
        init_result(detail::ensure_curl_global_init()),
        rng(options.retry.jitter_seed != 0 ? options.retry.jitter_seed : std::random_device{}()) {}

  ClientOptions options;
  std::shared_ptr<HostGates> gates;
  CURLcode init_result;

  std::mutex rng_mutex;
  std::mt19937_64 rng;  // guarded by rng_mutex

  // One easy handle per host, so keep-alive connections are reused between requests.
  // A handle is only used while its host's lease is held, which serialises its users
  // within this client; the map itself is guarded by handles_mutex.
  std::mutex handles_mutex;
  std::map<std::string, detail::CurlEasy, std::less<>> handles;

  CURL* handle_for(const std::string& host) {
    std::lock_guard lock(handles_mutex);
    auto& handle = handles[host];
    if (!handle) handle.reset(curl_easy_init());
    return handle.get();
  }

  milliseconds backoff(int attempt) {
    const auto& retry = options.retry;
    const double cap = static_cast<double>(std::max<long long>(retry.max_backoff.count(), 0));
    const double base =
        std::min(cap, static_cast<double>(std::max<long long>(retry.initial_backoff.count(), 0)) *
                          std::pow(2.0, std::min(attempt - 1, 62)));
    const double jitter = std::clamp(retry.jitter, 0.0, 1.0);
    double factor = 1.0;
    if (jitter > 0.0) {
      std::uniform_real_distribution<double> spread(-jitter, jitter);
      std::lock_guard lock(rng_mutex);
      factor += spread(rng);
    }
    return milliseconds(std::llround(std::clamp(base * factor, 0.0, cap)));
  }

  Attempt perform(CURL* curl, const std::string& url, HostGates::Lease& lease) const;
};

Attempt HttpClient::Impl::perform(CURL* curl, const std::string& url,
                                  HostGates::Lease& lease) const {
  Attempt attempt;
  attempt.lease = &lease;
  attempt.max_body = options.max_body_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {};
  detail::CurlSlist request_headers;

  // curl_easy_reset drops the previous request's options but keeps live connections and
  // the DNS cache.
  curl_easy_reset(curl);
  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, option, value);
  };
  set(CURLOPT_ERRORBUFFER, static_cast<char*>(error_buffer));
  set(CURLOPT_URL, url.c_str());
  set(CURLOPT_HTTPGET, 1L);
  set(CURLOPT_NOSIGNAL, 1L);         // required for multi-threaded use with timeouts
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
  set(CURLOPT_FOLLOWLOCATION, 1L);
  set(CURLOPT_MAXREDIRS, options.max_redirects);
  set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl can decode
  set(CURLOPT_USERAGENT, options.user_agent.c_str());
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  // Refuses at once a response whose Content-Length is over the cap; on_body enforces it
  // for chunked and compressed bodies (counting decoded bytes).
  set(CURLOPT_MAXFILESIZE_LARGE,
      static_cast<curl_off_t>(
          std::min<std::size_t>(options.max_body_bytes, std::numeric_limits<curl_off_t>::max())));
  set(CURLOPT_WRITEFUNCTION, &on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&attempt));
  set(CURLOPT_HEADERFUNCTION, &on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&attempt));
#if LIBCURL_VERSION_NUM >= 0x075000
  set(CURLOPT_PREREQFUNCTION, &on_request_sent);
  set(CURLOPT_PREREQDATA, static_cast<void*>(&attempt));
#endif
  if (!options.extra_headers.empty()) {
    for (const auto& [name, value] : options.extra_headers) {
      if (!request_headers.append((name + ": " + value).c_str())) rc = CURLE_OUT_OF_MEMORY;
    }
    set(CURLOPT_HTTPHEADER, request_headers.get());
  }

  if (rc == CURLE_OK) rc = curl_easy_perform(curl);
  attempt.code = rc;
  attempt.curl_error =
      error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(rc));
  while (!attempt.curl_error.empty() && attempt.curl_error.back() == '\n') {
    attempt.curl_error.pop_back();
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.status);
  char* effective = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    attempt.effective_url = effective;
  }
  // The handle keeps pointers to this stack frame's buffers; drop them now.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  return attempt;
}

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

namespace {

// The host politeness applies to, from curl's own URL parser so that it agrees with what
// curl will connect to.
Result<std::string> host_of(const std::string& url) {
  detail::CurlUrl parsed(curl_url());
  if (!parsed) return fail(ErrorCode::transport, "GET " + redact_url(url) + ": out of memory");
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return fail(ErrorCode::invalid_argument, "GET " + redact_url(url) + ": malformed URL");
  }
  char* scheme_raw = nullptr;
  char* host_raw = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme_raw, 0);
  detail::CurlString scheme(scheme_raw);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host_raw, 0);
  detail::CurlString host(host_raw);
  const std::string scheme_text = scheme ? lower(scheme.get()) : std::string();
  if (scheme_text != "http" && scheme_text != "https") {
    return fail(ErrorCode::invalid_argument,
                "GET " + redact_url(url) + ": only http and https URLs are supported");
  }
  if (!host || host.get()[0] == '\0') {
    return fail(ErrorCode::invalid_argument, "GET " + redact_url(url) + ": URL has no host");
  }
  return lower(host.get());
}

}  // namespace

Result<Response> HttpClient::get(const std::string& url) {
  const std::string shown = redact_url(url);
  if (impl_->init_result != CURLE_OK) {
    return fail(ErrorCode::transport, "GET " + shown + ": curl_global_init failed: " +
                                          curl_easy_strerror(impl_->init_result));
  }
  auto host = host_of(url);
  if (!host) return std::unexpected(host.error());

  const auto& options = impl_->options;
  const int max_attempts = std::max(1, options.retry.max_attempts);
  Failure last_failure = Failure::server;
  std::string last_problem;

  for (int attempt_no = 1; attempt_no <= max_attempts; ++attempt_no) {
    auto lease = impl_->gates->acquire(*host, options.min_interval);
    CURL* curl = impl_->handle_for(*host);
    if (curl == nullptr)
      return fail(ErrorCode::transport, "GET " + shown + ": curl_easy_init failed");

    Attempt attempt = impl_->perform(curl, url, lease);
    const auto elapsed =
        std::chrono::duration_cast<milliseconds>(HostGates::Clock::now() - lease.started());
    spdlog::debug("GET {} -> {} ({} bytes, {} ms, attempt {}/{})", shown, describe(attempt),
                  attempt.body.size(), elapsed.count(), attempt_no, max_attempts);

    std::optional<milliseconds> retry_after;
    if (attempt.too_large || attempt.code == CURLE_FILESIZE_EXCEEDED) {
      return fail(ErrorCode::http_permanent,
                  "GET " + shown + ": response body larger than the limit of " +
                      std::to_string(options.max_body_bytes) + " bytes (not retried)");
    }
    if (attempt.code != CURLE_OK) {
      if (!is_retryable(attempt.code)) {
        const auto code =
            attempt.code == CURLE_URL_MALFORMAT || attempt.code == CURLE_UNSUPPORTED_PROTOCOL
                ? ErrorCode::invalid_argument
            : attempt.code == CURLE_TOO_MANY_REDIRECTS ? ErrorCode::http_permanent
                                                       : ErrorCode::transport;
        return fail(code, "GET " + shown + ": " + describe(attempt) + " (not retried)");
      }
      last_failure = Failure::transport;
      last_problem = describe(attempt);
    } else if (attempt.status >= 200 && attempt.status < 300) {
      if (!options.validate_body || options.validate_body(attempt.body)) {
        Response response;
        response.status = attempt.status;
        response.body = std::move(attempt.body);
        response.headers = std::move(attempt.headers);
        response.effective_url = attempt.effective_url.empty() ? url : attempt.effective_url;
        response.attempts = attempt_no;
        return response;
      }
      last_failure = Failure::invalid_body;
      last_problem = "invalid body (HTTP " + std::to_string(attempt.status) + ", " +
                     std::to_string(attempt.body.size()) + " bytes)";
    } else if (attempt.status == 503 || attempt.status == 429) {
      last_failure = Failure::server;
      last_problem = describe(attempt);
      if (const auto it = attempt.headers.find("retry-after"); it != attempt.headers.end()) {
        const auto parsed = parse_retry_after(it->second);
        if (!parsed) {
          spdlog::warn("GET {}: HTTP {} with unparseable Retry-After '{}'; using backoff", shown,
                       attempt.status, it->second);
        } else if (*parsed > milliseconds::zero()) {
          retry_after = parsed;
        }
        // "Retry-After: 0" or a date already past asks for no wait at all; backoff still
        // applies so that we never rapid-fire retries (OAI harvester guidelines §2).
      }
    } else if (attempt.status == 408 || (attempt.status >= 500 && attempt.status < 600)) {
      last_failure = Failure::server;
      last_problem = describe(attempt);
    } else if (options.return_client_errors && attempt.status >= 400 && attempt.status < 500) {
      Response response;
      response.status = attempt.status;
      response.body = std::move(attempt.body);
      response.headers = std::move(attempt.headers);
      response.effective_url = attempt.effective_url.empty() ? url : attempt.effective_url;
      response.attempts = attempt_no;
      return response;
    } else {
      return fail(ErrorCode::http_permanent, "GET " + shown + ": HTTP " +
                                                 std::to_string(attempt.status) +
                                                 " (permanent, not retried)");
    }

    if (retry_after) {
      // Spec (OAI-PMH 3.1.2.2, RFC 9110 §10.2.3): no request before the delay is over. The
      // deferral holds for the host even when we give up, so the next caller waits too.
      const auto delay =
          std::min(*retry_after, std::max(options.retry.max_backoff, milliseconds::zero()));
      lease.defer_for(delay);
      if (attempt_no < max_attempts) {
        spdlog::info("GET {}: {}, honouring Retry-After: retrying in {} ms (attempt {}/{})", shown,
                     last_problem, delay.count(), attempt_no + 1, max_attempts);
      }
    } else if (attempt_no < max_attempts) {
      const auto delay = impl_->backoff(attempt_no);
      lease.defer_for(delay);
      spdlog::warn("GET {}: {}; retrying in {} ms (attempt {}/{})", shown, last_problem,
                   delay.count(), attempt_no + 1, max_attempts);
    }
  }

  const auto code =
      last_failure == Failure::transport ? ErrorCode::transport : ErrorCode::http_temporary;
  std::string message = "GET " + shown + ": gave up after " + std::to_string(max_attempts) +
                        (max_attempts == 1 ? " attempt" : " attempts") + "; last: " + last_problem;
  spdlog::warn("{}", message);
  return fail(code, std::move(message));
}

}  // namespace bzpeer::http
