// bzpeer — author family names for work matching (see author_key.hpp).
#include "pipeline/dedupe/author_key.hpp"

#include <algorithm>
#include <array>

#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::dedupe {
namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == ',')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == ',')) s.remove_suffix(1);
  return s;
}

/// Splits on a separator string (exact, case-sensitive).
std::vector<std::string_view> split_on(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    const auto piece = trim(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (!piece.empty()) out.push_back(piece);
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return out;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

/// An initial: "A", "A.", "C.-P.", "K.S.", "JR" is not (two letters without dots count only
/// when all upper case and at most 2 letters: PubMed "Tan AS").
bool is_initials(std::string_view w) {
  if (w.empty()) return false;
  std::size_t letters = 0;
  bool dotted = false;
  for (const char c : w) {
    if (c == '.') {
      dotted = true;
    } else if (c == '-') {
      continue;
    } else if (is_upper(c) || is_lower(c)) {
      ++letters;
    } else {
      return false;
    }
  }
  if (dotted)
    return letters <= 3 && std::none_of(w.begin(), w.end(), is_lower) ? true : letters == 1;
  return letters == 1 || (letters == 2 && is_upper(w[0]) && is_upper(w[1]));
}

bool is_placeholder(std::string_view piece) {
  const std::string k = normalise::fold_key(piece);
  return k.empty() || k == "unknown" || k == "anonymous" || k == "et al" || k == "others" ||
         k == "and others" || k == "none" || k == "n a";
}

/// One name piece to its family name (see family_names for the rules).
std::string family_of(std::string_view piece) {
  piece = trim(piece);
  if (const auto comma = piece.find(','); comma != std::string_view::npos) {
    const auto family = trim(piece.substr(0, comma));
    if (!family.empty()) return std::string(family);
  }
  const auto w = words(piece);
  if (w.empty()) return {};
  std::vector<bool> initial(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) initial[i] = is_initials(w[i]);
  // "Li Z. M." — initials after the first word: the family name comes first.
  if (w.size() >= 2 && !initial[0] && initial.back()) {
    std::string out(w[0]);
    for (std::size_t i = 1; i < w.size() && !initial[i]; ++i) {
      out += ' ';
      out.append(w[i]);
    }
    return out;
  }
  // "Given Family" (also "B. Abrahao", "Karen S. Cook"): the last non-initial word, with
  // particles before it ("Herbert Van de Sompel").
  const auto parsed = normalise::parse_person_name(piece);
  if (!parsed.family.empty()) return parsed.family;
  return std::string(w.back());
}

/// Splits PubMed-style glued lists "Tan A.Schulze A.O'Donnell C. P." at ".X" where X is
/// an upper-case letter followed by a lower-case letter or an apostrophe.
std::vector<std::string_view> split_glued(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == '.' && is_upper(s[i + 1]) && (is_lower(s[i + 2]) || s[i + 2] == '\'')) {
      out.push_back(trim(s.substr(start, i + 1 - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(s.substr(start)));
  return out;
}

}  // namespace

std::vector<std::string> family_names(std::string_view field) {
  field = trim(field);
  std::vector<std::string_view> pieces;
  if (field.find(" and ") != std::string_view::npos ||
      field.find(" AND ") != std::string_view::npos) {
    for (auto p : split_on(field, " and ")) {
      for (auto q : split_on(p, " AND ")) pieces.push_back(q);
    }
  } else if (field.find(';') != std::string_view::npos) {
    pieces = split_on(field, ";");
  } else if (field.find(',') != std::string_view::npos) {
    // "Family, Given" for a single author vs "Given Family, Given Family": a single comma
    // whose right side is only initials or one word is the former.
    auto parts = split_on(field, ",");
    const bool single =
        parts.size() == 2 && words(parts[0]).size() == 1 && words(parts[1]).size() <= 2;
    if (single) {
      pieces.push_back(field);
    } else {
      pieces = parts;
    }
  } else {
    pieces = split_glued(field);
  }
  std::vector<std::string> out;
  for (const auto piece : pieces) {
    if (is_placeholder(piece)) continue;
    for (const auto sub : pieces.size() == 1 ? split_glued(piece) : std::vector{piece}) {
      if (is_placeholder(sub)) continue;
      auto family = family_of(sub);
      if (!family.empty()) out.push_back(std::move(family));
    }
  }
  return out;
}

std::string family_key(std::string_view family) {
  const std::string folded = normalise::fold_key(family);
  const std::string stripped = normalise::strip_particles(folded);
  std::string out;
  for (const char c : stripped.empty() ? folded : stripped) {
    if (c != ' ') out += c;
  }
  return out;
}

bool family_keys_match(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() >= 5 && b.starts_with(a)) return true;
  // One typo in a long name: "golding" vs "goldring", "schoenholz" vs "schonholz".
  if (a.size() < 6 || b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);  // one substitution
  return a.substr(i) == b.substr(i + 1);                                // one insertion
}

}  // namespace bzpeer::dedupe
