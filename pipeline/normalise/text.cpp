// bzpeer — Unicode text helpers on top of utf8proc.
#include "pipeline/normalise/text.hpp"

#include <cstdlib>
#include <memory>

#include <utf8proc.h>

#include "pipeline/normalise/detail.hpp"
#include "pipeline/normalise/tex.hpp"

namespace bzpeer::normalise {
namespace {

using detail::append_utf8;
using detail::is_ascii;
using detail::is_ascii_space;

/// Length of a Unicode (non-ASCII) space character encoded at s[i], or 0.
/// Covers NBSP, NEL, U+2000–U+200A, line/paragraph separators, U+202F, U+205F, U+3000.
std::size_t unicode_space_len(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U;
  };
  if (b(0) == 0xC2 && (b(1) == 0xA0 || b(1) == 0x85)) return 2;
  if (b(0) == 0xE2 && b(1) == 0x80 &&
      ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF)) {
    return 3;
  }
  if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

/// Replaces every invalid UTF-8 sequence by U+FFFD (one per offending byte).
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      append_utf8(out, 0xFFFD);
      ++i;
    } else {
      out.append(s.substr(i, static_cast<std::size_t>(n)));
      i += static_cast<std::size_t>(n);
    }
  }
  return out;
}

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const noexcept { std::free(p); }
};

/// Runs utf8proc_map on already-sanitised UTF-8; returns the input on failure.
std::string map_utf8(const std::string& valid, utf8proc_option_t options) {
  utf8proc_uint8_t* raw = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                              static_cast<utf8proc_ssize_t>(valid.size()), &raw, options);
  const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owner(raw);
  if (n < 0 || raw == nullptr) return valid;
  return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
}

/// Post-processing of fold_key for letters that NFKD does not decompose, plus the
/// separators that become spaces. Returns false when the code point is kept as is.
bool fold_special(char32_t cp, std::string& out) {
  switch (cp) {
    case U'\u00F8': out += 'o'; return true;   // ø
    case U'\u0142': out += 'l'; return true;   // ł
    case U'\u0140': out += 'l'; return true;   // ŀ
    case U'\u00E6': out += "ae"; return true;  // æ
    case U'\u0153': out += "oe"; return true;  // œ
    case U'\u0111': out += 'd'; return true;   // đ
    case U'\u00F0': out += 'd'; return true;   // ð
    case U'\u00FE': out += "th"; return true;  // þ
    case U'\u0131': out += 'i'; return true;   // dotless ı
    case U'\u0237': out += 'j'; return true;   // dotless ȷ
    case U'\u0127': out += 'h'; return true;   // ħ
    case U'\u0167': out += 't'; return true;   // ŧ
    case U'\u00DF': out += "ss"; return true;  // ß (casefold already does this)
    case U'-':
    case U'\'':
    case U'.':
    case U'`':
    case U'\u00B4':  // acute accent (spacing)
    case U'\u02BC':  // modifier letter apostrophe
    case U'\u2010':
    case U'\u2011':
    case U'\u2012':
    case U'\u2013':
    case U'\u2014':
    case U'\u2015':
    case U'\u2018':
    case U'\u2019':
    case U'\u2212':  // minus sign
    case U'\u00B7':  // middle dot
    case U'\u30FB':  // katakana middle dot
      out += ' ';
      return true;
    default: return false;
  }
}

}  // namespace

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending = false;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t space_len = is_ascii_space(text[i]) ? 1 : 0;
    if (space_len == 0 && static_cast<unsigned char>(text[i]) >= 0x80) {
      space_len = unicode_space_len(text, i);
    }
    if (space_len > 0) {
      pending = !out.empty();
      i += space_len;
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += text[i];
    ++i;
  }
  return out;
}

std::string nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  return map_utf8(sanitize_utf8(text),
                  static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
}

std::string fold_key(std::string_view text) {
  std::string spaced;
  spaced.reserve(text.size());
  if (is_ascii(text)) {
    for (const char c : text) {
      if (c == '-' || c == '\'' || c == '.' || c == '`') {
        spaced += ' ';
      } else {
        spaced += detail::ascii_lower(c);
      }
    }
    return collapse_whitespace(spaced);
  }
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP);
  const std::string mapped = map_utf8(sanitize_utf8(text), options);
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(mapped.data());
  std::size_t i = 0;
  while (i < mapped.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(mapped.size() - i), &cp);
    if (n <= 0) {  // cannot happen on sanitised input; skip the byte defensively
      ++i;
      continue;
    }
    if (!fold_special(static_cast<char32_t>(cp), spaced)) {
      spaced.append(mapped, i, static_cast<std::size_t>(n));
    }
    i += static_cast<std::size_t>(n);
  }
  return collapse_whitespace(spaced);
}

std::string clean_text(std::string_view text) {
  return nfc(collapse_whitespace(tex_to_unicode(text)));
}

}  // namespace bzpeer::normalise
