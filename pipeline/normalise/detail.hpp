// bzpeer — small byte and UTF-8 helpers shared by the normalisers (internal header).
//
// Everything here works on raw bytes and treats only ASCII specially, so it is safe on
// invalid UTF-8: multi-byte sequences are copied through untouched.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bzpeer::normalise::detail {

[[nodiscard]] constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
[[nodiscard]] constexpr bool is_ascii_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
[[nodiscard]] constexpr bool is_ascii_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
[[nodiscard]] constexpr bool is_ascii_lower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
[[nodiscard]] constexpr bool is_ascii_alpha(char c) noexcept {
  return is_ascii_upper(c) || is_ascii_lower(c);
}
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True when every byte is below 0x80.
[[nodiscard]] inline bool is_ascii(std::string_view s) noexcept {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// Removes ASCII whitespace at both ends.
[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_ascii_space(s[b])) ++b;
  while (e > b && is_ascii_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

/// ASCII-only lower-casing; other bytes are copied unchanged.
[[nodiscard]] inline std::string ascii_lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// Case-insensitive (ASCII) equality.
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// Case-insensitive (ASCII) prefix test.
[[nodiscard]] inline bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// Appends the UTF-8 encoding of a code point (invalid ones become U+FFFD).
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Length in bytes of the (possibly invalid) UTF-8 sequence starting at s[i]; at least 1,
/// never past the end. Only the lead byte and continuation bytes are looked at.
[[nodiscard]] inline std::size_t utf8_seq_len(std::string_view s, std::size_t i) noexcept {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t want = 1;
  if (lead >= 0xF0 && lead < 0xF8) {
    want = 4;
  } else if (lead >= 0xE0) {
    want = lead < 0xF0 ? 3 : 1;
  } else if (lead >= 0xC0) {
    want = 2;
  }
  std::size_t n = 1;
  while (n < want && i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) {
    ++n;
  }
  return n;
}

}  // namespace bzpeer::normalise::detail
