// JSON string escaping, the one copy: the CLI's and the server's JSON writer, the harvest
// log's run summaries and the corpus generator all write strings through it.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace bzpeer {

/// Appends `s` to `out` escaped for the inside of a JSON string (RFC 8259 section 7):
/// quote, backslash and every control character below 0x20. Bytes >= 0x80 pass
/// unchanged, so valid UTF-8 stays UTF-8 (callers validate UTF-8 at the boundary).
inline void append_json_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

/// `s` escaped for the inside of a JSON string (no surrounding quotes).
inline std::string json_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  append_json_escaped(out, s);
  return out;
}

}  // namespace bzpeer
