// bzpeer — Retry-After parsing (RFC 9110 §10.2.3: delay-seconds or an HTTP-date).
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/http/http_client.hpp"

namespace bzpeer::http {

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
  using std::chrono::milliseconds;
  std::string_view text(value);
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;

  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    // A year is more than any server means; clamping keeps the arithmetic far from
    // overflow (max_backoff caps it further anyway).
    constexpr long long kMaxSeconds = 365LL * 24 * 3600;
    long long seconds = 0;
    for (const char c : text) {
      seconds = std::min(kMaxSeconds, seconds * 10 + (c - '0'));
    }
    return milliseconds(seconds * 1000);
  }

  // An HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime forms that RFC 9110
  // says recipients must accept. curl_getdate parses all three.
  const std::string date(text);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const auto delay =
      std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
  return std::max(milliseconds::zero(), std::chrono::ceil<milliseconds>(delay));
}

}  // namespace bzpeer::http
