// bzpeer — one person name: given/family/suffix split, blocking keys, given-name matching.
#include "pipeline/normalise/names.hpp"

#include <algorithm>
#include <array>

#include "pipeline/normalise/detail.hpp"
#include "pipeline/normalise/names_detail.hpp"
#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/tex_detail.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::normalise {
namespace {

using detail::iequals;
using detail::is_ascii_alpha;

constexpr std::array<std::string_view, 14> kParticles{
    "van", "der", "de", "la", "von", "del", "della", "da", "mac", "ter", "dem", "di", "du", "le"};

constexpr std::array<std::string_view, 6> kSuffixes{"jr", "sr", "ii", "iii", "iv", "jnr"};

constexpr std::array<std::string_view, 9> kTitles{"dr", "prof", "professor", "mr", "mrs",
                                                  "ms", "sir",  "dame",      "mx"};

/// The word without one trailing dot, for list look-ups ("Jr." → "Jr").
std::string_view undotted(std::string_view w) noexcept {
  return w.ends_with('.') ? w.substr(0, w.size() - 1) : w;
}

template <std::size_t N>
bool in_list(const std::array<std::string_view, N>& list, std::string_view w) noexcept {
  for (const auto item : list) {
    if (iequals(item, w)) return true;
  }
  return false;
}

bool is_particle(std::string_view w) noexcept {
  return in_list(kParticles, w);
}

/// A word that carries a letter (any non-ASCII byte counts, so CJK and accented
/// letters qualify). Footnote marks such as "*", "1" or "\ast" do not.
bool is_name_word(std::string_view w) noexcept {
  if (w.empty() || w[0] == '\\' || w[0] == '$' || w[0] == '^') return false;
  for (const char c : w) {
    if (is_ascii_alpha(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool starts_letter(std::string_view s, std::size_t i) noexcept {
  return i < s.size() && (is_ascii_alpha(s[i]) || static_cast<unsigned char>(s[i]) >= 0xC0);
}

/// Splits on spaces, then splits glued dotted initials: "J.P.Hague" → "J." "P." "Hague",
/// "S.M." → "S." "M.". A dot followed by a hyphen stays ("C.-P.").
std::vector<std::string_view> name_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] != ' ') {
      if (s[i] == '.' && starts_letter(s, i + 1)) {
        words.push_back(s.substr(start, i + 1 - start));
        start = i + 1;
      }
      ++i;
    }
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

std::string join(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t k = from; k < to; ++k) {
    if (!out.empty()) out += ' ';
    out += words[k];
  }
  return out;
}

/// "First Middle Last [Suffix]" with no comma.
void split_first_last(std::string_view s, ParsedName& p) {
  std::vector<std::string_view> words;
  for (const auto w : name_words(s)) {
    if (is_name_word(w)) words.push_back(w);
  }
  while (words.size() > 2 && in_list(kTitles, undotted(words.front()))) {
    words.erase(words.begin());
  }
  if (words.size() >= 2 && p.suffix.empty() && names_detail::is_suffix(words.back())) {
    p.suffix = std::string(words.back());
    words.pop_back();
  }
  if (words.empty()) return;
  const std::size_t last = words.size() - 1;
  std::size_t start = last;
  // Particles directly before the last word belong to the family name, but the given
  // name keeps at least one word ("del Norte" alone is given "del", family "Norte").
  while (start >= 2 && last - start < 3 && is_particle(words[start - 1])) --start;
  p.family = join(words, start, words.size());
  p.given = join(words, 0, start);
}

/// First code point of a UTF-8 string (whole sequence), or empty.
std::string_view first_char(std::string_view s) noexcept {
  if (s.empty()) return s;
  return s.substr(0, detail::utf8_seq_len(s, 0));
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t j = std::min(s.find(' ', i), s.size());
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

namespace names_detail {

bool is_suffix(std::string_view w) noexcept {
  return in_list(kSuffixes, undotted(w));
}

}  // namespace names_detail

bool is_collaboration_name(std::string_view name) {
  const std::string key = fold_key(name);
  const auto words = split_spaces(key);
  if (words.empty()) return false;
  for (const auto w : words) {
    if (w == "collaboration" || w == "collaborations" || w == "consortium" || w == "collab") {
      return true;
    }
  }
  const auto last = words.back();
  return words.size() >= 2 && words.size() <= 6 && (last == "team" || last == "group");
}

std::string strip_particles(std::string_view family) {
  const auto words = split_spaces(family);
  std::size_t k = 0;
  while (k + 1 < words.size() && is_particle(words[k])) ++k;
  return join(words, k, words.size());
}

ParsedName parse_person_name(std::string_view name) {
  // nfc replaces invalid UTF-8 left in math spans (see parse_arxiv_authors).
  return names_detail::parse_plain_name(
      nfc(collapse_whitespace(detail::tex_to_unicode_name(name))));
}

namespace names_detail {

ParsedName parse_plain_name(std::string text) {
  ParsedName p;
  while (!text.empty() && (text.back() == ',' || text.back() == ' ')) text.pop_back();
  p.printed = text;

  const std::size_t comma = text.find(',');
  if (comma != std::string::npos && text.find(',', comma + 1) == std::string::npos) {
    const std::string_view left = detail::trim(std::string_view(text).substr(0, comma));
    const std::string_view right = detail::trim(std::string_view(text).substr(comma + 1));
    if (names_detail::is_suffix(right)) {  // "Fred Bloggs, Jr"
      p.suffix = std::string(right);
      split_first_last(left, p);
      return p;
    }
    if (!left.empty() && !right.empty()) {  // "Wang, Shang-Yung"
      p.family = std::string(left);
      std::vector<std::string_view> given;
      for (const auto w : name_words(right)) {
        if (is_name_word(w)) given.push_back(w);
      }
      if (given.size() >= 2 && names_detail::is_suffix(given.back())) {
        p.suffix = std::string(given.back());
        given.pop_back();
      }
      p.given = join(given, 0, given.size());
      return p;
    }
  }
  std::string without_commas = text;
  for (char& c : without_commas) {
    if (c == ',') c = ' ';
  }
  split_first_last(without_commas, p);
  return p;
}

}  // namespace names_detail

namespace {

bool is_ascii_consonant(char c) noexcept {
  return c >= 'a' && c <= 'z' && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u';
}

}  // namespace

std::string name_block_family(std::string_view family) {
  std::string key = strip_particles(fold_key(family));
  std::string out;
  out.reserve(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) {
    out += key[i];
    const char v = key[i];
    if ((v == 'a' || v == 'o' || v == 'u') && i > 0 && i + 2 < key.size() && key[i + 1] == 'e' &&
        is_ascii_consonant(key[i - 1]) && key[i - 1] != 'q' && key[i - 1] != 'y' &&
        is_ascii_consonant(key[i + 2])) {
      ++i;  // drop the 'e'
    }
  }
  return out;
}

std::string name_block_key(std::string_view given, std::string_view family) {
  std::string key = name_block_family(family);
  if (key.empty()) return key;
  const std::string g = fold_key(given);
  const std::string_view initial = first_char(g);
  if (!initial.empty()) {
    key += ' ';
    key += initial;
  }
  return key;
}

bool given_names_compatible(std::string_view a, std::string_view b) {
  const std::string fa = fold_key(a);
  const std::string fb = fold_key(b);
  const auto ta = split_spaces(fa);
  const auto tb = split_spaces(fb);
  if (ta.empty() || tb.empty()) return true;  // nothing to contradict
  // "Shang-Yung" ~ "Shangyung", "JP" ~ "J. P.": the same letters once spaces go.
  std::string ja;
  std::string jb;
  for (const auto w : ta) ja += w;
  for (const auto w : tb) jb += w;
  if (ja == jb) return true;
  const std::size_t n = std::min(ta.size(), tb.size());
  for (std::size_t k = 0; k < n; ++k) {
    const auto x = ta[k];
    const auto y = tb[k];
    const bool x_initial = x.size() == first_char(x).size();
    const bool y_initial = y.size() == first_char(y).size();
    if (x_initial || y_initial) {
      if (first_char(x) != first_char(y)) return false;
    } else if (x != y) {
      return false;
    }
  }
  return true;
}

}  // namespace bzpeer::normalise
