// bzpeer — arXiv `authors` strings to a list of ParsedName, after arXiv's own conventions.
//
// Steps: TeX → Unicode and whitespace collapsed; a scan into names, parenthesised groups
// and separators (`,` `;` `:` ` and ` ` & ` at parenthesis depth 0); the trailing
// enumerated affiliation list `((1) A, (2) B)` is taken out; each group after a name is
// classified (numbered reference, affiliation, collaboration, editor mark, footnote);
// affiliations are back-propagated over the preceding run of names without one.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/normalise/detail.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/names_detail.hpp"
#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/tex_detail.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::normalise {
namespace {

using detail::iequals;
using detail::is_ascii_digit;
using detail::istarts_with;
using detail::trim;

enum class Kind { name, group, separator };

struct Item {
  Kind kind;
  std::string_view text;
};

/// Splits at depth-0 separators and parentheses. Views point into `s`.
std::vector<Item> scan(std::string_view s) {
  std::vector<Item> items;
  std::size_t start = 0;  // start of the pending name text
  const auto flush = [&](std::size_t end) {
    const auto t = trim(s.substr(start, end - start));
    if (!t.empty()) items.push_back({Kind::name, t});
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '(') {
      flush(i);
      std::size_t depth = 1;
      std::size_t j = i + 1;
      while (j < s.size() && depth > 0) {
        if (s[j] == '(') ++depth;
        if (s[j] == ')') --depth;
        ++j;
      }
      const std::size_t content_end = depth == 0 ? j - 1 : s.size();
      items.push_back({Kind::group, s.substr(i + 1, content_end - i - 1)});
      i = j;
      start = i;
      continue;
    }
    std::size_t sep_len = 0;
    if (c == ',' || c == ';' || c == ':') {
      sep_len = 1;
    } else if (c == ')') {  // stray closing parenthesis: drop it
      flush(i);
      start = ++i;
      continue;
    } else if ((i == 0 || s[i - 1] == ' ') && (s.substr(i, 4) == "and " || s.substr(i) == "and")) {
      sep_len = 3;
    } else if ((i == 0 || s[i - 1] == ' ') && (s.substr(i, 2) == "& " || s.substr(i) == "&")) {
      sep_len = 1;
    }
    if (sep_len > 0) {
      flush(i);
      items.push_back({Kind::separator, {}});
      i += sep_len;
      start = i;
      continue;
    }
    ++i;
  }
  flush(s.size());
  return items;
}

/// "1", "1,2", "1, 2", "1 and 2", "1 & 3", "1-3" → the numbers; empty when not a marker.
std::vector<int> reference_numbers(std::string_view s) {
  std::vector<int> out;
  std::size_t i = 0;
  bool range = false;
  while (i < s.size()) {
    const char c = s[i];
    if (is_ascii_digit(c)) {
      int v = 0;
      std::size_t digits = 0;
      while (i < s.size() && is_ascii_digit(s[i])) {
        if (++digits > 4) return {};
        v = v * 10 + (s[i] - '0');
        ++i;
      }
      if (range && !out.empty() && v > out.back() && v - out.back() <= 50) {
        for (int k = out.back() + 1; k <= v; ++k) out.push_back(k);
      } else {
        out.push_back(v);
      }
      range = false;
      continue;
    }
    if (c == '-' && !out.empty()) {
      range = true;
    } else if (s.substr(i, 3) == "and") {
      i += 3;
      continue;
    } else if (c != ',' && c != ';' && c != '&' && c != ' ') {
      return {};
    }
    ++i;
  }
  return out;
}

struct Numbered {
  int number;
  std::string_view text;
};

/// Position of marker `k` at or after `from` in an enumerated list, or npos.
/// Paren style: "(k)" anywhere. Bare style: "k " at the start or after `,`/`;`.
std::pair<std::size_t, std::size_t> find_marker(std::string_view s, int k, std::size_t from,
                                                bool paren) {
  const std::string num = std::to_string(k);
  const std::string needle = paren ? "(" + num + ")" : num + " ";
  std::size_t p = s.find(needle, from);
  while (p != std::string_view::npos) {
    if (paren) return {p, p + needle.size()};
    std::size_t q = p;
    while (q > 0 && s[q - 1] == ' ') --q;
    const bool digit_before = p > 0 && is_ascii_digit(s[p - 1]);
    if (!digit_before && (p == 0 || (q > 0 && (s[q - 1] == ',' || s[q - 1] == ';')))) {
      return {p, p + needle.size()};
    }
    p = s.find(needle, p + 1);
  }
  return {std::string_view::npos, std::string_view::npos};
}

/// "(1) Inst One, (2) Inst Two" or "1 Inst One; 2 Inst Two" → numbered affiliations.
std::vector<Numbered> enumerated_list(std::string_view content) {
  content = trim(content);
  bool paren = false;
  if (content.starts_with("(1)")) {
    paren = true;
  } else if (!content.starts_with("1 ")) {
    return {};
  }
  std::vector<Numbered> out;
  auto [begin, text_start] = find_marker(content, 1, 0, paren);
  for (int k = 1; k < 10000 && begin != std::string_view::npos; ++k) {
    const auto [next_begin, next_text] = find_marker(content, k + 1, text_start, paren);
    const std::size_t end = next_begin == std::string_view::npos ? content.size() : next_begin;
    std::string_view text = trim(content.substr(text_start, end - text_start));
    while (!text.empty() && (text.back() == ',' || text.back() == ';')) {
      text = trim(text.substr(0, text.size() - 1));
    }
    out.push_back({k, text});
    begin = next_begin;
    text_start = next_text;
  }
  return out;
}

bool is_et_al(std::string_view s) {
  std::string k = fold_key(s);
  return k == "et al" || k == "et al al" || k == "others" || k == "et alii" || k == "etal";
}

/// Removes a trailing "et al." written without a separator ("X. Zhan et al.").
std::string_view strip_trailing_et_al(std::string_view s) {
  for (const std::string_view tail : {" et al.", " et al", " et. al.", " et.al."}) {
    if (s.size() > tail.size() && iequals(s.substr(s.size() - tail.size()), tail)) {
      return trim(s.substr(0, s.size() - tail.size()));
    }
  }
  return s;
}

/// Strips "for the", "on behalf of the", "and the" openings of a collaboration group.
std::string_view strip_collab_opening(std::string_view s) {
  for (const std::string_view p : {"for ", "on behalf of ", "and "}) {
    if (istarts_with(s, p)) return trim(s.substr(p.size()));
  }
  return s;
}

bool is_editor_mark(std::string_view s) {
  const std::string k = fold_key(s);
  return k == "ed" || k == "eds" || k == "editor" || k == "editors";
}

struct Entry {
  std::string raw;
  std::vector<std::string_view> groups;
  ParsedName name;
  bool keep = true;         // false: "et al", merged suffix, nothing left of the name
  bool empty = false;       // nothing name-like in it (footnote marks such as "\\,")
  bool has_marker = false;  // had an affiliation or reference group of its own
  std::vector<std::string> affiliations;
  std::vector<std::string> collaborations;  // from "(the X Collaboration)" groups
};

void classify_groups(Entry& e, const std::vector<Numbered>& list) {
  for (const auto group : e.groups) {
    const std::string_view g = trim(group);
    if (g.empty() || g[0] == '(' || g[0] == '\\' || g[0] == '*' || g[0] == '$') continue;
    if (auto refs = reference_numbers(g); !refs.empty()) {
      e.has_marker = true;
      for (const int r : refs) {
        for (const auto& n : list) {
          if (n.number == r && !n.text.empty()) e.affiliations.emplace_back(n.text);
        }
      }
      continue;
    }
    if (is_editor_mark(g)) continue;
    if (const auto collab = strip_collab_opening(g); is_collaboration_name(collab)) {
      e.collaborations.emplace_back(collab);
      continue;
    }
    e.has_marker = true;
    e.affiliations.emplace_back(g);
  }
}

std::string join_affiliations(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (std::find(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(k), parts[k]) !=
        parts.begin() + static_cast<std::ptrdiff_t>(k)) {
      continue;  // the same institution referenced twice
    }
    if (!out.empty()) out += "; ";
    out += parts[k];
  }
  return out;
}

}  // namespace

std::vector<ParsedName> parse_arxiv_authors(std::string_view authors) {
  // nfc: math spans come out of the TeX conversion byte for byte; invalid UTF-8 in them
  // becomes U+FFFD here, so no name carries it on.
  const std::string text = nfc(collapse_whitespace(detail::tex_to_unicode_name(authors)));
  const std::vector<Item> items = scan(text);

  // The trailing enumerated affiliation list, used only when numbered markers exist.
  std::vector<Numbered> list;
  std::size_t list_index = items.size();
  for (std::size_t k = items.size(); k > 0; --k) {
    const Item& it = items[k - 1];
    if (it.kind == Kind::separator) continue;
    if (it.kind == Kind::group) list_index = k - 1;
    break;
  }
  if (list_index < items.size()) {
    bool numbered = false;
    for (std::size_t k = 0; k < list_index; ++k) {
      numbered =
          numbered || (items[k].kind == Kind::group && !reference_numbers(items[k].text).empty());
    }
    if (numbered) list = enumerated_list(items[list_index].text);
    if (list.empty()) list_index = items.size();
  }

  std::vector<Entry> entries;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k == list_index) continue;
    const Item& it = items[k];
    if (it.kind == Kind::name) {
      // "Zhe (Rita) Liang": a group inside a name is a nickname, not an affiliation.
      if (k >= 2 && items[k - 1].kind == Kind::group && items[k - 2].kind == Kind::name &&
          !entries.empty() && !entries.back().groups.empty()) {
        entries.back().groups.pop_back();
        entries.back().raw += ' ';
        entries.back().raw += it.text;
        continue;
      }
      entries.push_back({});
      entries.back().raw = std::string(it.text);
    } else if (it.kind == Kind::group && !entries.empty()) {
      entries.back().groups.push_back(it.text);
    }
  }

  for (std::size_t k = 0; k < entries.size(); ++k) {
    Entry& e = entries[k];
    classify_groups(e, list);
    if (is_et_al(e.raw)) {
      e.keep = false;
      continue;
    }
    const std::string_view raw = strip_trailing_et_al(e.raw);
    if (names_detail::is_suffix(raw)) {  // "Fred Bloggs, Jr" split by the comma
      std::size_t j = k;
      while (j > 0 && entries[j - 1].empty) --j;
      if (j > 0 && entries[j - 1].keep && !entries[j - 1].name.is_collaboration &&
          entries[j - 1].name.suffix.empty()) {
        Entry& prev = entries[j - 1];
        prev.name.suffix = std::string(raw);
        prev.name.printed += ", " + std::string(raw);
        e.keep = false;
        continue;
      }
    }
    if (is_collaboration_name(raw)) {
      e.name.printed = std::string(strip_collab_opening(raw));
      e.name.family = e.name.printed;
      e.name.is_collaboration = true;
      continue;
    }
    e.name = names_detail::parse_plain_name(std::string(raw));
    if (e.name.family.empty()) {
      e.keep = false;
      e.empty = true;
    }
  }

  // Back-propagation: a name without an affiliation group takes the affiliation of the
  // next name that has one, up to a collaboration or a name with its own group. Only done
  // when the last person carries a group: when a list ends in unmarked names, parentheses
  // in its middle are often not affiliations (LHCb 1102.0348: "C. Pauna (Chiojdeanu)", a
  // former name, would otherwise reach ~300 co-authors).
  bool propagate = false;
  for (std::size_t k = entries.size(); k > 0; --k) {
    const Entry& e = entries[k - 1];
    if (e.keep && !e.name.is_collaboration) {
      propagate = e.has_marker;
      break;
    }
    if (!e.keep && e.has_marker) {  // "…, et al. (Inst)" or "…, Jr (Inst)"
      propagate = true;
      break;
    }
  }
  std::string carried;
  for (std::size_t k = entries.size(); k > 0; --k) {
    Entry& e = entries[k - 1];
    if (e.keep && e.name.is_collaboration) {
      carried.clear();
      continue;
    }
    if (e.has_marker) {
      e.name.affiliation = join_affiliations(e.affiliations);
      carried = propagate ? e.name.affiliation : std::string();
    } else {
      e.name.affiliation = carried;
    }
  }
  // A suffix entry's or "et al"'s own affiliation belongs to the name before it.
  for (std::size_t k = 1; k < entries.size(); ++k) {
    if (!entries[k].keep && entries[k].has_marker && entries[k - 1].name.affiliation.empty()) {
      entries[k - 1].name.affiliation = entries[k].name.affiliation;
    }
  }

  std::vector<ParsedName> out;
  out.reserve(entries.size());
  for (auto& e : entries) {
    if (e.keep) out.push_back(std::move(e.name));
    for (const auto& c : e.collaborations) {
      ParsedName collab;
      collab.printed = std::string(c);
      collab.family = collab.printed;
      collab.is_collaboration = true;
      out.push_back(std::move(collab));
    }
  }
  return out;
}

}  // namespace bzpeer::normalise
