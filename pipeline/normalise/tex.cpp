// bzpeer — TeX accents and letter macros to Unicode (outside math).
//
// A single left-to-right scan. Text outside math is collected in `text_` and NFC-normalised
// when a math span starts or the input ends; math spans are appended verbatim. Braces are
// only removed when everything inside them converts (`{\'e}`, `{\O}`, `{M\"uller}`), so
// `{\it x}` and BibTeX case-protection braces stay as written.
#include "pipeline/normalise/tex.hpp"

#include <array>
#include <optional>

#include "pipeline/normalise/detail.hpp"
#include "pipeline/normalise/tex_detail.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::normalise {
namespace {

using detail::append_utf8;
using detail::is_ascii_alpha;
using detail::is_ascii_lower;
using detail::is_ascii_space;

/// Combining mark for an accent macro name (`'`, `"`, `v`, …), or 0.
char32_t accent_mark(std::string_view name) noexcept {
  if (name.size() != 1) return 0;
  switch (name[0]) {
    case '\'': return U'\u0301';  // acute
    case '`': return U'\u0300';   // grave
    case '^': return U'\u0302';   // circumflex
    case '"': return U'\u0308';   // diaeresis
    case '~': return U'\u0303';   // tilde
    case '=': return U'\u0304';   // macron
    case '.': return U'\u0307';   // dot above
    case 'u': return U'\u0306';   // breve
    case 'v': return U'\u030C';   // caron
    case 'H': return U'\u030B';   // double acute
    case 'c': return U'\u0327';   // cedilla
    case 'k': return U'\u0328';   // ogonek
    case 'r': return U'\u030A';   // ring above
    case 'd': return U'\u0323';   // dot below
    case 'b': return U'\u0331';   // macron below
    case 't': return U'\u0361';   // tie (double inverted breve), spans two letters
    default: return 0;
  }
}

struct LetterMacro {
  std::string_view name;
  std::string_view utf8;
};

constexpr std::array<LetterMacro, 15> kLetterMacros{{
    {"ss", "\u00DF"},
    {"o", "\u00F8"},
    {"O", "\u00D8"},
    {"l", "\u0142"},
    {"L", "\u0141"},
    {"aa", "\u00E5"},
    {"AA", "\u00C5"},
    {"ae", "\u00E6"},
    {"AE", "\u00C6"},
    {"oe", "\u0153"},
    {"OE", "\u0152"},
    {"i", "\u0131"},
    {"j", "\u0237"},
    {"DJ", "\u0110"},
    {"dj", "\u0111"},
}};

std::optional<std::string_view> letter_macro(std::string_view name) noexcept {
  for (const auto& m : kLetterMacros) {
    if (m.name == name) return m.utf8;
  }
  return std::nullopt;
}

/// TeX commands that the name-mode glued-macro reading must not split.
constexpr std::array<std::string_view, 48> kTexCommands{
    "it",    "item",     "in",     "int",   "infty",  "iota",   "index",  "include",
    "input", "ldots",    "left",   "label", "lambda", "le",     "leq",    "ll",
    "log",   "lim",      "large",  "oplus", "otimes", "odot",   "oint",   "omega",
    "over",  "overline", "ominus", "cdot",  "cdots",  "cite",   "circ",   "cos",
    "cot",   "chi",      "cup",    "cap",   "vec",    "vee",    "varphi", "vspace",
    "kappa", "ker",      "aleph",  "ast",   "approx", "lbrace", "langle", "ooalign"};

/// Escapes that simply stand for the character after the backslash.
constexpr bool is_escaped_char(char c) noexcept {
  return c == '&' || c == '%' || c == '$' || c == '_' || c == '#';
}

constexpr bool is_symbol_accent(char c) noexcept {
  return c == '\'' || c == '`' || c == '^' || c == '"' || c == '~' || c == '=' || c == '.';
}

/// A converted piece of input: its UTF-8 text and where the input continues.
struct Piece {
  std::string text;
  std::size_t end = 0;
};

class Converter {
 public:
  Converter(std::string_view in, bool glued) : in_(in), glued_(glued) {
    out_.reserve(in.size() + 8);
  }

  std::string run() {
    while (pos_ < in_.size()) step();
    flush_text();
    return std::move(out_);
  }

 private:
  std::string_view in_;
  bool glued_ = false;  // name mode: read `J\orgensen` as `J\o rgensen`
  std::size_t pos_ = 0;
  std::string out_;                  // finished output (NFC text + verbatim math)
  std::string text_;                 // pending non-math text, NFC-normalised on flush
  bool after_unknown_word_ = false;  // `\emph{...}`: keep the braces of its argument
  // Closing delimiters known to be absent from some position on; keeps unbalanced input
  // (`$ $ $ …`, `\( \( …`) linear instead of rescanning the tail for every opener.
  std::string_view missing_[3];

  [[nodiscard]] char at(std::size_t i) const noexcept { return i < in_.size() ? in_[i] : '\0'; }

  void flush_text() {
    if (text_.empty()) return;
    out_ += nfc(text_);
    text_.clear();
  }

  /// Reads a control word (ASCII letters) starting at i; returns its end.
  [[nodiscard]] std::size_t word_end(std::size_t i) const noexcept {
    while (i < in_.size() && is_ascii_alpha(in_[i])) ++i;
    return i;
  }

  /// Spaces after a control word are skipped, as TeX does, when a lower-case letter
  /// follows them (`\aa ngstr\"om`). Otherwise they are kept.
  [[nodiscard]] std::size_t skip_spaces_before_letter(std::size_t i) const noexcept {
    std::size_t j = i;
    while (j < in_.size() && (in_[j] == ' ' || in_[j] == '\t')) ++j;
    return (j > i && is_ascii_lower(at(j))) ? j : i;
  }

  /// One base character for an accent: a UTF-8 code point, or `\i`/`\j` (dotless i/j
  /// become plain i/j under an accent) or another letter macro (`\'\o` → ǿ).
  [[nodiscard]] std::optional<Piece> base_char(std::size_t i) const {
    if (i >= in_.size()) return std::nullopt;
    const char c = in_[i];
    if (c == '\\') {
      const std::size_t e = word_end(i + 1);
      const std::string_view name = in_.substr(i + 1, e - i - 1);
      if (name == "i") return Piece{"i", e};
      if (name == "j") return Piece{"j", e};
      if (auto m = letter_macro(name)) return Piece{std::string(*m), e};
      return std::nullopt;
    }
    if (c == '{' || c == '}' || c == '$' || c == '~' || is_ascii_space(c)) return std::nullopt;
    const std::size_t n = detail::utf8_seq_len(in_, i);
    return Piece{std::string(in_.substr(i, n)), i + n};
  }

  /// The argument of an accent macro starting at i: `e`, `{e}`, `\i`, `{\i}`, ` e`.
  [[nodiscard]] std::optional<Piece> accent_argument(std::size_t i, char32_t mark) const {
    std::size_t j = i;
    while (j < in_.size() && in_[j] == ' ') ++j;
    if (j > i && !is_ascii_alpha(at(j))) return std::nullopt;
    Piece piece;
    if (at(j) == '{') {
      auto first = base_char(j + 1);
      if (!first) return std::nullopt;
      piece.text = first->text;
      append_utf8(piece.text, mark);
      std::size_t k = first->end;
      if (mark == U'\u0361') {  // tie: \t{oo}
        auto second = base_char(k);
        if (!second) return std::nullopt;
        piece.text += second->text;
        k = second->end;
      }
      if (at(k) != '}') return std::nullopt;
      piece.end = k + 1;
      return piece;
    }
    if (mark == U'\u0361') return std::nullopt;  // the tie needs a braced pair
    auto base = base_char(j);
    if (!base) return std::nullopt;
    piece.text = base->text;
    append_utf8(piece.text, mark);
    piece.end = base->end;
    return piece;
  }

  /// Converts the macro starting at the backslash at i, if it is one we know.
  [[nodiscard]] std::optional<Piece> known_macro(std::size_t i) const {
    const char c = at(i + 1);
    if (is_escaped_char(c)) return Piece{std::string(1, c), i + 2};
    if (is_symbol_accent(c)) {
      return accent_argument(i + 2, accent_mark(in_.substr(i + 1, 1)));
    }
    if (!is_ascii_alpha(c)) return std::nullopt;
    const std::size_t e = word_end(i + 1);
    const std::string_view name = in_.substr(i + 1, e - i - 1);
    if (const char32_t mark = accent_mark(name); mark != 0) return accent_argument(e, mark);
    if (auto m = letter_macro(name)) {
      std::size_t end = e;
      if (at(end) == '{' && at(end + 1) == '}') {
        end += 2;  // `\ss{}`
      } else {
        end = skip_spaces_before_letter(end);
      }
      return Piece{std::string(*m), end};
    }
    return std::nullopt;
  }

  /// known_macro, also accepting a doubled backslash before a known accent or letter macro
  /// (`Fr\\'ed\\'eric`, `S{\\o}ren`, `Sch\\\"urmann`): some database exports of arXiv metadata
  /// escape the backslash, and a TeX line break directly followed by an accent never occurs in
  /// metadata. Escapes (`\\&`, `\\%` …) and math openers are not affected.
  [[nodiscard]] std::optional<Piece> macro_at(std::size_t i) const {
    if (at(i + 1) == '\\') {
      // SQL-style escaping doubles the backslash and escapes the quote: `\\\"u` is `\"u`.
      if (at(i + 2) == '\\' && is_symbol_accent(at(i + 3))) return known_macro(i + 2);
      if (is_escaped_char(at(i + 2))) return std::nullopt;
      return known_macro(i + 1);
    }
    return known_macro(i);
  }

  /// Name mode only: an unknown control word that starts with a letter macro or with
  /// \c \v \k glued to the next letter (`J\orgensen`, `Y\ild\iz`, `Lefran\ccois`,
  /// `K\kedra`, all real arXiv author strings). Common TeX commands are left alone.
  [[nodiscard]] std::optional<Piece> glued_macro(std::size_t i) const {
    const std::size_t e = word_end(i + 1);
    const std::string_view word = in_.substr(i + 1, e - i - 1);
    if (word.size() < 2) return std::nullopt;
    for (const std::string_view cmd : kTexCommands) {
      if (word == cmd) return std::nullopt;
    }
    for (const std::string_view prefix :
         {"ss", "aa", "AA", "ae", "AE", "oe", "OE", "o", "O", "l", "L", "i"}) {
      if (word.size() > prefix.size() && word.starts_with(prefix)) {
        return Piece{std::string(*letter_macro(prefix)), i + 1 + prefix.size()};
      }
    }
    if (word[0] == 'c' || word[0] == 'v' || word[0] == 'k') {
      Piece p{std::string(1, word[1]), i + 3};
      append_utf8(p.text, accent_mark(word.substr(0, 1)));
      return p;
    }
    return std::nullopt;
  }

  /// `{...}` whose content converts completely: returns the content without braces.
  [[nodiscard]] std::optional<Piece> convertible_group(std::size_t open) const {
    std::string text;
    bool saw_macro = false;
    std::size_t i = open + 1;
    while (i < in_.size()) {
      const char c = in_[i];
      if (c == '}') {
        if (!saw_macro) return std::nullopt;
        return Piece{std::move(text), i + 1};
      }
      if (c == '\\') {
        auto m = macro_at(i);
        if (!m) return std::nullopt;
        text += m->text;
        i = m->end;
        saw_macro = true;
        continue;
      }
      if (c == '{' || c == '$' || c == '~' || c == '-') return std::nullopt;
      text += c;
      ++i;
    }
    return std::nullopt;  // unbalanced
  }

  /// Copies a math span verbatim when its closing delimiter exists.
  bool try_math(std::string_view open, std::string_view close) {
    const std::size_t start = pos_ + open.size();
    for (const auto m : missing_) {
      if (m == close) return false;
    }
    std::size_t j = start;
    while (true) {
      j = in_.find(close, j);
      if (j == std::string_view::npos) {
        for (auto& m : missing_) {
          if (m.empty()) {
            m = close;
            break;
          }
        }
        return false;
      }
      // `$` escaped as `\$` inside math does not close it.
      if (close == "$" && j > start && in_[j - 1] == '\\') {
        ++j;
        continue;
      }
      break;
    }
    if (close == "$" && j == start) return false;  // `$$` is handled by the caller
    flush_text();
    const std::size_t end = j + close.size();
    out_.append(in_.substr(pos_, end - pos_));
    pos_ = end;
    return true;
  }

  void step() {
    const char c = in_[pos_];
    const bool after_word = after_unknown_word_;
    after_unknown_word_ = false;
    switch (c) {
      case '\\': return backslash();
      case '$':
        if (at(pos_ + 1) == '$') {
          if (try_math("$$", "$$")) return;
          text_ += "$$";
          pos_ += 2;
          return;
        }
        if (try_math("$", "$")) return;
        break;
      case '{':
        if (!after_word) {
          if (auto g = convertible_group(pos_)) {
            text_ += g->text;
            pos_ = g->end;
            return;
          }
        }
        break;
      case '~': {
        // A tilde inside a URL (`/~user`) is kept; elsewhere it is a tie (space).
        const char prev = text_.empty() ? '\0' : text_.back();
        text_ += (prev == '/' || prev == ':') ? '~' : ' ';
        ++pos_;
        return;
      }
      case '-': {
        std::size_t n = 0;
        while (at(pos_ + n) == '-') ++n;
        if (n == 2) {
          text_ += "\u2013";
        } else if (n == 3) {
          text_ += "\u2014";
        } else {
          text_.append(n, '-');
        }
        pos_ += n;
        return;
      }
      default: break;
    }
    text_ += c;
    ++pos_;
  }

  void backslash() {
    const char next = at(pos_ + 1);
    if (next == '(' && try_math("\\(", "\\)")) return;
    if (next == '[' && try_math("\\[", "\\]")) return;
    if (auto m = macro_at(pos_)) {
      text_ += m->text;
      pos_ = m->end;
      return;
    }
    if (glued_) {
      const std::size_t b = (next == '\\' && is_ascii_alpha(at(pos_ + 2))) ? pos_ + 1 : pos_;
      if (auto g = glued_macro(b)) {
        text_ += g->text;
        pos_ = g->end;
        return;
      }
    }
    if (is_ascii_alpha(next)) {  // unknown control word: keep as written
      const std::size_t e = word_end(pos_ + 1);
      text_.append(in_.substr(pos_, e - pos_));
      pos_ = e;
      after_unknown_word_ = true;
      return;
    }
    // unknown control symbol (`\\`, `\{`, `\,` …) or a trailing backslash: keep as written
    text_ += '\\';
    ++pos_;
    if (pos_ < in_.size()) {
      text_ += in_[pos_];
      ++pos_;
    }
  }
};

}  // namespace

std::string tex_to_unicode(std::string_view text) {
  if (text.find_first_of("\\~$") == std::string_view::npos &&
      text.find("--") == std::string_view::npos) {
    return nfc(text);
  }
  return Converter(text, false).run();
}

namespace detail {

std::string tex_to_unicode_name(std::string_view text) {
  if (text.find_first_of("\\~$") == std::string_view::npos &&
      text.find("--") == std::string_view::npos) {
    return nfc(text);
  }
  return Converter(text, true).run();
}

}  // namespace detail

}  // namespace bzpeer::normalise
