// bzpeer — URLs fit for logs: secrets in userinfo and query parameters masked.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "connectors/http/http_client.hpp"

namespace bzpeer::http {
namespace {

bool is_secret_parameter(std::string_view name) {
  // Names seen carrying credentials in the APIs bzpeer talks to (OpenAlex api_key,
  // generic token/key) plus the usual suspects. resumptionToken is deliberately absent:
  // logs must show it to make a harvest resumable by hand.
  static constexpr std::array<std::string_view, 12> kSecretNames = {
      "api_key",  "apikey", "key",    "token",         "access_token", "auth",
      "password", "passwd", "secret", "client_secret", "signature",    "sig"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kSecretNames.begin(), kSecretNames.end(), lower) != kSecretNames.end();
}

}  // namespace

std::string redact_url(const std::string& url) {
  std::string out = url;

  // userinfo: scheme://user:password@host → scheme://user:***@host
  const auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority_start = scheme_end + 3;
    const auto authority_end = out.find_first_of("/?#", authority_start);
    const auto at =
        out.rfind('@', authority_end == std::string::npos ? out.size() - 1 : authority_end - 1);
    if (at != std::string::npos && at >= authority_start &&
        (authority_end == std::string::npos || at < authority_end)) {
      const auto colon = out.find(':', authority_start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }

  const auto query_start = out.find('?');
  if (query_start == std::string::npos) return out;
  const auto fragment = out.find('#', query_start);
  const auto query_end = fragment == std::string::npos ? out.size() : fragment;

  std::string query;
  std::size_t pos = query_start + 1;
  while (pos <= query_end) {
    auto amp = out.find('&', pos);
    if (amp == std::string::npos || amp > query_end) amp = query_end;
    const std::string_view param(out.data() + pos, amp - pos);
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && is_secret_parameter(param.substr(0, eq))) {
      query.append(param.substr(0, eq + 1)).append("***");
    } else {
      query.append(param);
    }
    if (amp < query_end) query.push_back('&');
    pos = amp + 1;
  }
  return out.substr(0, query_start + 1) + query + out.substr(query_end);
}

}  // namespace bzpeer::http
