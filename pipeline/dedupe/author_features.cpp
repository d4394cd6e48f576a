// bzpeer — the author clusterer's evidence: given-name comparison, token bags, pair score.
#include "pipeline/dedupe/author_features.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "pipeline/normalise/text.hpp"

namespace bzpeer::dedupe::author_features {
namespace {

std::size_t utf8_len(unsigned char c) noexcept {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

std::string_view first_letter(std::string_view s) noexcept {
  if (s.empty()) return s;
  return s.substr(0, std::min(s.size(), utf8_len(static_cast<unsigned char>(s[0]))));
}

bool is_initial(std::string_view token) noexcept {
  return first_letter(token).size() == token.size();
}

/// Position by position from `from`: an initial matches a word with that first letter,
/// two words must be equal. Extra tokens on one side are fine ("Samuel" ~ "Samuel S.").
bool positional(const GivenName& a, const GivenName& b, std::size_t from) {
  const std::size_t n = std::min(a.tokens.size(), b.tokens.size());
  for (std::size_t k = from; k < n; ++k) {
    const auto& x = a.tokens[k];
    const auto& y = b.tokens[k];
    if (is_initial(x) || is_initial(y)) {
      if (first_letter(x) != first_letter(y)) return false;
    } else if (x != y) {
      return false;
    }
  }
  return true;
}

/// Folded words of free text: letters and digits (and any non-ASCII byte) kept, the rest
/// separates. Words of one ASCII letter are dropped.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  const std::string folded = normalise::fold_key(text);
  std::string cur;
  auto flush = [&] {
    if (cur.size() > 1) out.push_back(cur);
    cur.clear();
  };
  for (const char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

class Interner {
 public:
  std::uint32_t id(const std::string& s) {
    auto [it, inserted] = ids_.try_emplace(s, static_cast<std::uint32_t>(ids_.size() + 1));
    return it->second;
  }
  [[nodiscard]] std::size_t size() const noexcept { return ids_.size() + 1; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
};

template <typename T>
void sort_unique(std::vector<T>& v) {
  std::ranges::sort(v);
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// Sum of `weight` over the ids in both sorted lists.
double weighted_overlap(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b,
                        const std::vector<double>& weight) {
  std::size_t i = 0, j = 0;
  double sum = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      sum += weight[a[i]], ++i, ++j;
    }
  }
  return sum;
}

/// Above this many distinct given names the ambiguity count is skipped (it is quadratic).
constexpr std::size_t kMaxAmbiguityNames = 4000;

}  // namespace

GivenName analyse_given(std::string_view given) {
  GivenName g;
  const std::string folded = normalise::fold_key(given);
  std::size_t i = 0;
  while (i < folded.size()) {
    const std::size_t j = std::min(folded.find(' ', i), folded.size());
    if (j > i) g.tokens.emplace_back(folded.substr(i, j - i));
    i = j + 1;
  }
  for (const auto& t : g.tokens) {
    g.joined += t;
    g.initials += first_letter(t);
    if (!is_initial(t)) g.has_full = true;
  }
  g.first_is_full = !g.tokens.empty() && !is_initial(g.tokens.front());
  for (std::size_t k = 1; k < g.tokens.size(); ++k) {
    if (is_initial(g.tokens[k])) g.has_middle_initial = true;
  }
  return g;
}

NameMatch compare_given(const GivenName& a, const GivenName& b, const NameVariants& variants) {
  if (a.tokens.empty() || b.tokens.empty()) return NameMatch::unknown;
  if (a.joined == b.joined) return a.has_full || b.has_full ? NameMatch::full : NameMatch::initials;
  if (positional(a, b, 0)) {
    if (a.initials == b.initials) return NameMatch::initials_match;
    if (a.first_is_full && b.first_is_full) return NameMatch::full_partial;
    return NameMatch::partial;
  }
  if (a.first_is_full && b.first_is_full && variants.are_variants(a.tokens[0], b.tokens[0]) &&
      positional(a, b, 1)) {
    return NameMatch::nickname;
  }
  return NameMatch::incompatible;
}

Evidence::Evidence(std::span<const AuthorSignature> mentions, const AuthorClusterOptions& options)
    : w_(options.weights),
      variants_(options.variants ? options.variants : &NameVariants::builtin()) {
  Interner interner;
  std::vector<std::string> coauthor_keys;  // by interned id
  prepared_.resize(mentions.size());
  std::unordered_map<std::string, int> local_counts;
  std::unordered_map<std::string, int> local_coauthor_counts;
  std::vector<std::string> count_keys(mentions.size());
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    const auto& m = mentions[i];
    auto& p = prepared_[i];
    p.given = analyse_given(m.given);
    p.suffix = normalise::fold_key(m.suffix);
    p.orcid = m.orcid;
    p.work_id = m.work_id;
    p.link_group = m.link_group;
    p.apart = m.apart;
    sort_unique(p.apart);
    p.year = m.year;
    count_keys[i] = p.given.joined + " " + normalise::fold_key(m.family);
    if (!options.name_counts) ++local_counts[count_keys[i]];
    for (const auto& c : m.coauthors) {
      const auto id = interner.id("c\t" + c);
      if (coauthor_keys.size() <= id) coauthor_keys.resize(id + 1);
      if (coauthor_keys[id].empty()) coauthor_keys[id] = c;
      p.coauthors.push_back(id);
    }
    sort_unique(p.coauthors);
    if (!options.coauthor_counts) {
      for (const auto id : p.coauthors) ++local_coauthor_counts[coauthor_keys[id]];
    }
    for (const auto& t : m.topics)
      p.topics.ids.push_back(interner.id("t\t" + normalise::fold_key(t)));
    sort_unique(p.topics.ids);
    for (const auto& t : m.words) p.words.ids.push_back(interner.id("w\t" + t));
    sort_unique(p.words.ids);
    const std::string venue = normalise::fold_key(m.venue);
    if (!venue.empty()) p.venue = interner.id("v\t" + venue);
    const auto aff_words = words_of(m.affiliation);
    if (!aff_words.empty()) {
      std::string whole;
      for (const auto& a : aff_words) {
        whole += a;
        whole += ' ';
        p.affiliation_tokens.ids.push_back(interner.id("a\t" + a));
      }
      p.affiliation = interner.id("A\t" + whole);
      sort_unique(p.affiliation_tokens.ids);
    }
  }
  // How ambiguous each given name is here: the number of distinct fuller given names in
  // the input it is compatible with ("P." with "Ping" and "Peng": 2; "Dayong": 0).
  {
    std::unordered_map<std::string, std::size_t> distinct;  // joined → index in `names`
    std::vector<const GivenName*> names;
    for (const auto& p : prepared_) {
      if (!p.given.tokens.empty() && distinct.try_emplace(p.given.joined, names.size()).second)
        names.push_back(&p.given);
    }
    std::vector<int> fuller(names.size(), 0);
    if (w_.name_ambiguous != 0 && names.size() <= kMaxAmbiguityNames) {
      for (std::size_t x = 0; x < names.size(); ++x) {
        for (std::size_t y = 0; y < names.size(); ++y) {
          const GivenName& g = *names[x];
          const GivenName& h = *names[y];
          const bool more = h.initials.size() > g.initials.size() || (h.has_full && !g.has_full);
          if (x != y && more) {
            const auto m = compare_given(g, h, *variants_);
            if (m == NameMatch::partial || m == NameMatch::initials_match ||
                m == NameMatch::full_partial) {
              ++fuller[x];
            }
          }
        }
      }
    }
    for (auto& p : prepared_) {
      if (!p.given.tokens.empty()) p.fuller_names = fuller[distinct.at(p.given.joined)];
    }
  }
  const auto& counts = options.name_counts ? *options.name_counts : local_counts;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    auto it = counts.find(count_keys[i]);
    prepared_[i].name_count = it == counts.end() ? 1 : std::max(1, it->second);
  }
  // What one shared co-author is worth: less the more common its name key.
  const auto& co_counts =
      options.coauthor_counts ? *options.coauthor_counts : local_coauthor_counts;
  coauthor_weight_.assign(interner.size(), 1.0);
  for (std::size_t id = 0; id < coauthor_keys.size(); ++id) {
    if (coauthor_keys[id].empty()) continue;
    const auto it = co_counts.find(coauthor_keys[id]);
    const double n = it == co_counts.end() ? 1.0 : std::max(1, it->second);
    coauthor_weight_[id] = 1.0 / (1.0 + w_.coauthor_common * std::log(n));
  }
  // Inverse frequencies over this input.
  std::vector<std::uint32_t> df(interner.size(), 0);
  for (const auto& p : prepared_) {
    for (const Bag* bag : {&p.topics, &p.words, &p.affiliation_tokens}) {
      for (auto id : bag->ids) ++df[id];
    }
  }
  idf_.assign(df.size(), 0.0);
  const double n = static_cast<double>(std::max<std::size_t>(mentions.size(), 1));
  for (std::size_t id = 1; id < df.size(); ++id) {
    if (df[id] > 0) idf_[id] = std::log(1.0 + n / df[id]);
  }
  for (auto& p : prepared_) {
    for (Bag* bag : {&p.topics, &p.words, &p.affiliation_tokens}) {
      for (auto id : bag->ids) bag->weight += idf_[id];
    }
  }
}

bool Evidence::kept_apart(std::size_t i, std::size_t j) const {
  const auto& a = prepared_[i];
  const auto& b = prepared_[j];
  for (const auto side : a.apart) {
    if (std::ranges::binary_search(b.apart, side ^ 1)) return true;
  }
  return false;
}

bool Evidence::must_link(std::size_t i, std::size_t j) const {
  const auto& a = prepared_[i];
  const auto& b = prepared_[j];
  if (kept_apart(i, j)) return false;
  if (a.link_group != 0 && a.link_group == b.link_group) return true;
  return !a.orcid.empty() && a.orcid == b.orcid;
}

bool Evidence::cannot_link(std::size_t i, std::size_t j) const {
  const auto& a = prepared_[i];
  const auto& b = prepared_[j];
  if (kept_apart(i, j)) return true;
  if (!a.orcid.empty() && !b.orcid.empty()) return a.orcid != b.orcid;
  if (a.work_id != 0 && a.work_id == b.work_id) return true;
  return compare_given(a.given, b.given, *variants_) == NameMatch::incompatible;
}

double Evidence::shared_weight(const Bag& a, const Bag& b, const std::vector<double>& idf) const {
  return weighted_overlap(a.ids, b.ids, idf);
}

double Evidence::log_odds(std::size_t i, std::size_t j) const {
  const auto& a = prepared_[i];
  const auto& b = prepared_[j];
  double s = w_.bias;
  const NameMatch match = compare_given(a.given, b.given, *variants_);
  switch (match) {
    case NameMatch::incompatible:
    case NameMatch::unknown: break;
    case NameMatch::partial: s += w_.name_partial; break;
    case NameMatch::nickname: s += w_.name_nickname; break;
    case NameMatch::full_partial: s += w_.name_full_partial; break;
    case NameMatch::initials: s += w_.name_initials; break;
    case NameMatch::initials_match: s += w_.name_initials_match; break;
    case NameMatch::full: s += w_.name_full; break;
  }
  // A middle name or initial makes an identical name far rarer ("matthew c" vs "matthew").
  if (match == NameMatch::full && (a.given.has_middle_initial || b.given.has_middle_initial)) {
    s += w_.name_middle;
  }
  if (match != NameMatch::unknown) {
    s -= w_.name_ambiguous *
         std::log1p(static_cast<double>(std::max(a.fuller_names, b.fuller_names)));
    s -= w_.name_common * std::log(static_cast<double>(std::max(a.name_count, b.name_count)));
  }
  if (!a.suffix.empty() && !b.suffix.empty() && a.suffix != b.suffix) s += w_.suffix_conflict;
  // Co-authors: a concave, non-decreasing function of the summed worth of the shared
  // co-authors (each worth in (0, 1]), so one more shared co-author never lowers it. With
  // no co-author list on one side, an identical given name has to speak for itself; a
  // shared co-author never counts for less than that absence of evidence.
  double no_lists = 0;
  if (match == NameMatch::full || match == NameMatch::initials) {
    no_lists = w_.coauthor_unknown;
  } else if (match != NameMatch::unknown) {
    no_lists = w_.coauthor_unknown_partial;
  }
  if (const double k = weighted_overlap(a.coauthors, b.coauthors, coauthor_weight_); k > 0) {
    s += std::max(no_lists, w_.coauthor_first * std::min(1.0, k) +
                                w_.coauthor_more * std::log(std::max(1.0, k)));
  } else if (!a.coauthors.empty() && !b.coauthors.empty()) {
    s += w_.coauthor_none;
  } else {
    s += no_lists;
  }
  if (a.affiliation != 0 && b.affiliation != 0) {
    if (a.affiliation == b.affiliation) {
      s += w_.affiliation_equal + w_.affiliation;
    } else {
      const double shared = shared_weight(a.affiliation_tokens, b.affiliation_tokens, idf_);
      const double uni = a.affiliation_tokens.weight + b.affiliation_tokens.weight - shared;
      s += shared <= 0 || uni <= 0 ? w_.affiliation_differ : w_.affiliation * shared / uni;
    }
  }
  if (a.venue != 0 && a.venue == b.venue) s += w_.venue;
  if (!a.topics.ids.empty() && !b.topics.ids.empty()) {
    const double shared = shared_weight(a.topics, b.topics, idf_);
    const double uni = a.topics.weight + b.topics.weight - shared;
    if (shared <= 0) {
      s += w_.topics_differ;
    } else if (uni > 0) {
      s += w_.topics * shared / uni;
    }
  }
  if (!a.words.ids.empty() && !b.words.ids.empty()) {
    s += w_.words * std::min(shared_weight(a.words, b.words, idf_), w_.words_cap);
  }
  if (a.year > 0 && b.year > 0) {
    const double gap = std::abs(a.year - b.year);
    if (gap > w_.year_free) s += w_.year_gap * std::min(gap - w_.year_free, w_.year_cap);
  }
  return s;
}

float Evidence::similarity(std::size_t i, std::size_t j) const {
  if (!must_link(i, j) && cannot_link(i, j)) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(1.0 / (1.0 + std::exp(-log_odds(i, j))));
}

}  // namespace bzpeer::dedupe::author_features
