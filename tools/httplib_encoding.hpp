// Keeping cpp-httplib's servers away from brotli. Debian's cpp-httplib (0.11) compresses
// every text/JSON answer with brotli at its default quality, 11, whenever the client
// accepts "br". Quality 11 is meant for static assets compressed once: on a 1 MB OAI-PMH
// page it took 57 s under load here (gzip 2 s, none 0.8 s), and it dominated the
// wall-clock time of loopback harvests and of the HTTP API's larger answers. Both of our
// servers (bzpeer-replay and `bzpeer serve`) drop "br" from a request's Accept-Encoding
// before httplib picks the encoding, so clients that also accept gzip get gzip (level 6),
// as from most web servers, and clients that accept only br get the answer uncompressed.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace bzpeer::http {

/// `value` (an Accept-Encoding header) without its "br" entries ("gzip, br;q=1" ->
/// "gzip"). Tokens are compared case-insensitively; parameters stay with their token.
inline std::string without_brotli(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    std::string_view token = item.substr(0, item.find(';'));
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.empty() ||
        (token.size() == 2 && (token[0] | 0x20) == 'b' && (token[1] | 0x20) == 'r')) {
      continue;
    }
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

/// Rewrites the request's Accept-Encoding headers without "br". Call it from a
/// pre-routing handler: httplib chooses the answer's encoding from the request's headers
/// after routing. The request object is httplib's own, non-const one; its handlers are
/// only given a const view of it.
inline void drop_brotli(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Headers&>(req.headers);
  const auto [first, last] = headers.equal_range("Accept-Encoding");
  for (auto it = first; it != last; ++it) it->second = without_brotli(it->second);
}

}  // namespace bzpeer::http
