// bzpeer — title normalisation and fingerprints (see title_key.hpp).
#include "pipeline/dedupe/title_key.hpp"

#include <algorithm>
#include <array>

#include <utf8proc.h>

#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::dedupe {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Removes markup tags: '<' directly followed by a letter or '/' up to the next '>'.
/// "a < b" and "x<3" are maths, not tags, and stay.
std::string strip_markup(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '<' && i + 1 < s.size() && (is_alpha(s[i + 1]) || s[i + 1] == '/')) {
      const auto end = s.find('>', i);
      if (end != std::string_view::npos) {
        out += ' ';
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/// Formatting macros whose name carries no content.
bool is_format_macro(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kFormat{
      "emph",   "textit", "textbf",  "textrm", "textsc", "texttt", "textsf", "mathrm",
      "mathbf", "mathit", "mathcal", "mathsf", "mathbb", "it",     "bf",     "rm",
      "em",     "sc",     "tt",      "text",   "mbox",   "cal"};
  return std::find(kFormat.begin(), kFormat.end(), name) != kFormat.end();
}

/// After tex_to_unicode: drops '$', formatting macros, and the backslash of other macros.
std::string strip_tex_leftovers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\') {
      std::size_t j = i + 1;
      while (j < s.size() && is_alpha(s[j])) ++j;
      const std::string_view name = s.substr(i + 1, j - i - 1);
      out += ' ';
      if (!name.empty() && !is_format_macro(name)) out.append(name);
      out += ' ';
      i = (j == i + 1) ? i : j - 1;
      continue;
    }
    if (c == '&') {
      out += " and ";
      continue;
    }
    out += c;
  }
  return out;
}

/// Keeps letters and digits (Unicode categories L* and N*), everything else becomes a
/// space; collapses spaces.
std::string letters_and_digits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  std::size_t i = 0;
  bool pending_space = false;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      ++i;
      pending_space = true;
      continue;
    }
    bool keep = false;
    if (cp < 0x80) {
      keep = is_alpha(static_cast<char>(cp)) || is_digit(static_cast<char>(cp));
    } else {
      const auto cat = utf8proc_category(cp);
      keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
             (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    }
    if (keep) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out.append(s.substr(i, static_cast<std::size_t>(n)));
    } else {
      pending_space = true;
    }
    i += static_cast<std::size_t>(n);
  }
  return out;
}

bool is_stop_word(std::string_view w) {
  static constexpr std::array<std::string_view, 30> kStop{
      "a",  "an",   "the",  "of",   "in", "on",  "for", "and", "to",  "with",
      "by", "from", "at",   "as",   "is", "are", "its", "or",  "via", "into",
      "s",  "be",   "this", "that", "we", "our", "der", "die", "und", "le"};
  return std::find(kStop.begin(), kStop.end(), w) != kStop.end();
}

/// Light plural stem: "studies" → "study", "models" → "model"; "class", "analysis",
/// "bus" and short words stay.
std::string stem(std::string_view w) {
  if (w.size() > 4 && w.ends_with("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (w.size() > 3 && w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") &&
      !w.ends_with("is")) {
    return std::string(w.substr(0, w.size() - 1));
  }
  return std::string(w);
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_roman(std::string_view w) {
  static constexpr std::array<std::string_view, 19> kRoman{
      "ii",  "iii",  "iv",  "v",  "vi",  "vii",  "viii",  "ix",  "x", "xi",
      "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
  return std::find(kRoman.begin(), kRoman.end(), w) != kRoman.end();
}

}  // namespace

std::string decode_entities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kNamed{
      {{"amp", "&"},
       {"lt", "<"},
       {"gt", ">"},
       {"quot", "\""},
       {"apos", "'"},
       {"nbsp", "\u00A0"},
       {"mdash", "\u2014"},
       {"ndash", "\u2013"}}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto semi = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10 || semi == i + 1) {
      out += s[i];
      continue;
    }
    const auto name = s.substr(i + 1, semi - i - 1);
    bool done = false;
    if (name[0] == '#' && name.size() > 1) {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const auto digits = name.substr(hex ? 2 : 1);
      unsigned long cp = 0;
      bool ok = !digits.empty();
      for (const char c : digits) {
        int v = is_digit(c)                     ? c - '0'
                : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                : -1;
        if (v < 0 || cp > 0x10FFFF) ok = false;
        if (ok) cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
      }
      if (ok) {
        append_utf8(out, cp);
        done = true;
      }
    } else {
      for (const auto& [entity, text] : kNamed) {
        if (name == entity) {
          out += text;
          done = true;
          break;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string normalise_title(std::string_view title) {
  if (title.empty()) return {};
  const std::string unmarked = strip_markup(decode_entities(title));
  const std::string unicode = normalise::tex_to_unicode(unmarked);
  const std::string plain = strip_tex_leftovers(unicode);
  return letters_and_digits(normalise::fold_key(plain));
}

std::vector<std::string> title_tokens(std::string_view normalised_title) {
  const auto words = split_spaces(normalised_title);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto w = words[i];
    const auto next = i + 1 < words.size() ? words[i + 1] : std::string_view();
    const bool annotation = (w == "extended" && next == "abstract") ||
                            (w == "panel" && (next == "abstract" || next == "session")) ||
                            (w == "abstract" && next == "only");
    if (annotation) {
      ++i;
      continue;
    }
    if (w == "book" && next == "review" && i + 2 == words.size() && out.size() >= 2) break;
    if (w == "abstract" && i + 1 == words.size() && out.size() >= 3) break;
    if (is_stop_word(w)) continue;
    out.push_back(stem(w));
  }
  return out;
}

std::string title_fingerprint(std::string_view title) {
  std::string out;
  for (const auto& t : title_tokens(normalise_title(title))) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::vector<std::string> title_numbers(std::string_view normalised_title) {
  std::vector<std::string> out;
  const auto words = split_spaces(normalised_title);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto w = words[i];
    const bool digits = std::all_of(w.begin(), w.end(), is_digit);
    const bool after_part = i > 0 && (words[i - 1] == "part" || words[i - 1] == "volume" ||
                                      words[i - 1] == "vol" || words[i - 1] == "chapter");
    // "v" alone is too often a letter ("model v"), so Roman V counts only after "part".
    const bool roman = is_roman(w) && (w != "v" || after_part);
    if (digits || roman || (after_part && w == "i")) {
      // Leading zeros do not make a different number ("part 02" = "part 2").
      std::size_t z = 0;
      while (digits && z + 1 < w.size() && w[z] == '0') ++z;
      out.emplace_back(w.substr(z));
    }
  }
  return out;
}

bool is_generic_title(std::string_view normalised_title) {
  const auto words = split_spaces(normalised_title);
  if (words.empty()) return true;
  static constexpr std::array<std::string_view, 24> kWhole{"unknown",
                                                           "editorial",
                                                           "reply",
                                                           "erratum",
                                                           "errata",
                                                           "corrigendum",
                                                           "correction",
                                                           "book review",
                                                           "book reviews",
                                                           "introduction",
                                                           "preface",
                                                           "foreword",
                                                           "in this issue",
                                                           "letter to the editor",
                                                           "letters to the editor",
                                                           "editor s note",
                                                           "editorial board",
                                                           "index",
                                                           "contents",
                                                           "table of contents",
                                                           "announcement",
                                                           "retraction",
                                                           "obituary",
                                                           "news"};
  std::string joined;
  for (const auto w : words) {
    if (!joined.empty()) joined += ' ';
    joined += w;
  }
  for (const auto g : kWhole) {
    if (joined == g) return true;
  }
  // "Comment on …", "Reply to …", "Erratum: …", "Retraction note to …": a note about
  // another work, which shares that work's title words.
  static constexpr std::array<std::string_view, 8> kPrefix{
      "comment on ", "comments on ", "reply to ",   "response to ",
      "erratum ",    "corrigendum ", "retraction ", "correction to "};
  for (const auto p : kPrefix) {
    if (joined.starts_with(p)) return true;
  }
  // Recurring columns: "Treasurer's Message", "Book Review Column", "Editor's Notes".
  const auto tokens = title_tokens(normalised_title);
  static constexpr std::array<std::string_view, 5> kColumn{"column", "message", "note", "corner",
                                                           "news"};
  if (tokens.size() <= 3 && !tokens.empty() &&
      std::find(kColumn.begin(), kColumn.end(), tokens.back()) != kColumn.end()) {
    return true;
  }
  // "Remarks from MIS Quarterly Editor - Editor's Comments", "Editor's note".
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i] == "editor" && (tokens[i + 1] == "comment" || tokens[i + 1] == "note"))
      return true;
  }
  return false;
}

}  // namespace bzpeer::dedupe
