// bzpeer — author clustering inside a name block (see author_clusterer.hpp).
#include "pipeline/dedupe/author_clusterer.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "pipeline/dedupe/author_features.hpp"
#include "pipeline/dedupe/author_hac.hpp"
#include "pipeline/dedupe/author_profiles.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::dedupe {
namespace {

using author_features::Evidence;

/// Must-link groups of `items` (positions in it; -1 = none): mentions sharing an ORCID or
/// a manual link group, never joining two mentions a manual split keeps apart.
std::vector<int> must_groups(const Evidence& ev, const std::vector<std::size_t>& items) {
  const std::size_t n = items.size();
  std::vector<std::size_t> root(n);
  std::iota(root.begin(), root.end(), std::size_t{0});
  std::vector<std::vector<std::size_t>> members(n);
  for (std::size_t a = 0; a < n; ++a) members[a] = {a};
  std::vector<char> grouped(n, 0);
  std::map<std::string, std::size_t> first;  // key -> first item holding it
  auto unite = [&](std::size_t x, std::size_t y) {
    const std::size_t rx = root[x];
    const std::size_t ry = root[y];
    if (rx == ry) return;
    for (auto i : members[rx]) {
      for (auto j : members[ry]) {
        if (ev.kept_apart(items[i], items[j])) return;
      }
    }
    for (auto j : members[ry]) root[j] = rx;
    members[rx].insert(members[rx].end(), members[ry].begin(), members[ry].end());
    members[ry].clear();
  };
  for (std::size_t a = 0; a < n; ++a) {
    const auto& p = ev.at(items[a]);
    std::vector<std::string> keys;
    if (p.link_group != 0) keys.push_back("g" + std::to_string(p.link_group));
    if (!p.orcid.empty()) keys.push_back("o" + p.orcid);
    for (const auto& key : keys) {
      grouped[a] = 1;
      auto [it, inserted] = first.try_emplace(key, a);
      if (!inserted) unite(it->second, a);
    }
  }
  std::vector<int> groups(n, -1);
  for (std::size_t a = 0; a < n; ++a) {
    if (grouped[a]) groups[a] = static_cast<int>(root[a]);
  }
  return groups;
}

/// Clusters the mentions `items` (indices into `ev`) as one dense problem; writes labels
/// starting at `next_label` into `labels`.
void cluster_dense(std::span<const AuthorSignature> mentions, const Evidence& ev,
                   const std::vector<std::size_t>& items, const AuthorClusterOptions& options,
                   std::vector<int>& labels, int& next_label) {
  const std::size_t n = items.size();
  if (n == 1) {
    labels[items[0]] = next_label++;
    return;
  }
  author_hac::SimilarityMatrix sim(n);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) sim.set(a, b, ev.similarity(items[a], items[b]));
  }
  // Must-link groups: one per ORCID and per manual link group, then strong pairs joined
  // single-link style (best first) unless the two groups hold a cannot-link pair.
  const std::vector<int> groups = must_groups(ev, items);
  // Only pairs whose evidence goes beyond the name (both sides list co-authors) may chain
  // single-link style: a mention with nothing but its name would bridge two people.
  const auto eligible = [&](std::size_t a, std::size_t b) {
    return !options.strong_needs_coauthors ||
           (!ev.at(items[a]).coauthors.empty() && !ev.at(items[b]).coauthors.empty());
  };
  const auto seeds = author_hac::strong_links(sim, groups, options.strong_threshold,
                                              options.strong_group_mean, eligible);
  auto local = author_hac::average_linkage(sim, seeds, options.threshold);
  local = author_profiles::merge_profiles(mentions, items, local, options);
  const int base = next_label;
  int most = -1;
  for (std::size_t a = 0; a < n; ++a) {
    labels[items[a]] = base + local[a];
    most = std::max(most, local[a]);
  }
  next_label = base + most + 1;
}

/// Splits an over-large problem into pieces of at most max_dense, keeping ORCID groups
/// together where it can (pieces are consecutive runs of the input order otherwise).
void cluster_bounded(std::span<const AuthorSignature> mentions, const Evidence& ev,
                     const std::vector<std::size_t>& items, const AuthorClusterOptions& options,
                     std::vector<int>& labels, int& next_label) {
  const std::size_t cap = std::max<std::size_t>(options.max_dense, 2);
  if (items.size() <= cap) {
    cluster_dense(mentions, ev, items, options, labels, next_label);
    return;
  }
  // Mentions in manual link groups first (by group), then ORCID-bearing mentions (by
  // ORCID), then the rest in input order.
  std::vector<std::size_t> ordered = items;
  std::stable_sort(ordered.begin(), ordered.end(), [&](std::size_t x, std::size_t y) {
    const auto& px = ev.at(x);
    const auto& py = ev.at(y);
    if ((px.link_group != 0) != (py.link_group != 0)) return px.link_group != 0;
    if (px.link_group != py.link_group) return px.link_group < py.link_group;
    if (px.orcid.empty() != py.orcid.empty()) return !px.orcid.empty();
    return px.orcid < py.orcid;
  });
  for (std::size_t start = 0; start < ordered.size(); start += cap) {
    const std::size_t end = std::min(ordered.size(), start + cap);
    std::vector<std::size_t> piece(ordered.begin() + static_cast<std::ptrdiff_t>(start),
                                   ordered.begin() + static_cast<std::ptrdiff_t>(end));
    cluster_dense(mentions, ev, piece, options, labels, next_label);
  }
}

/// Mean similarity between two clusters; -1 when any pair cannot link.
double mean_similarity(const Evidence& ev, const std::vector<std::size_t>& x,
                       const std::vector<std::size_t>& y) {
  double sum = 0;
  for (auto i : x) {
    for (auto j : y) {
      const float s = ev.similarity(i, j);
      if (s < 0) return -1;
      sum += s;
    }
  }
  return sum / static_cast<double>(x.size() * y.size());
}

/// Large inputs: sub-block by full first given name; initial-only mentions form their own
/// sub-blocks and their clusters then join the best full-name cluster that shares a
/// co-author or an affiliation word with them, when the mean similarity reaches the
/// threshold.
void cluster_large(std::span<const AuthorSignature> mentions, const Evidence& ev,
                   const AuthorClusterOptions& options, std::vector<int>& labels, int& next_label) {
  std::map<std::string, std::vector<std::size_t>> sub;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const auto& g = ev.at(i).given;
    std::string key = g.first_is_full ? g.tokens.front() : "#" + g.initials;
    sub[key].push_back(i);
  }
  for (const auto& [key, items] : sub)
    cluster_bounded(mentions, ev, items, options, labels, next_label);

  // Members of each cluster, and which clusters are initial-only.
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(next_label));
  for (std::size_t i = 0; i < ev.size(); ++i)
    members[static_cast<std::size_t>(labels[i])].push_back(i);
  std::vector<char> initial_only(members.size(), 0);
  std::unordered_map<std::uint32_t, std::vector<int>> by_token;  // full-name clusters per token
  for (std::size_t c = 0; c < members.size(); ++c) {
    if (members[c].empty()) continue;
    initial_only[c] = ev.at(members[c].front()).given.first_is_full ? 0 : 1;
    if (initial_only[c]) continue;
    std::vector<std::uint32_t> tokens;
    for (auto i : members[c]) {
      const auto& p = ev.at(i);
      tokens.insert(tokens.end(), p.coauthors.begin(), p.coauthors.end());
      tokens.insert(tokens.end(), p.affiliation_tokens.ids.begin(), p.affiliation_tokens.ids.end());
    }
    std::ranges::sort(tokens);
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    for (auto t : tokens) by_token[t].push_back(static_cast<int>(c));
  }
  for (std::size_t c = 0; c < members.size(); ++c) {
    if (!initial_only[c] || members[c].empty()) continue;
    std::vector<int> candidates;
    for (auto i : members[c]) {
      const auto& p = ev.at(i);
      for (const auto* ids : {&p.coauthors, &p.affiliation_tokens.ids}) {
        for (auto t : *ids) {
          auto it = by_token.find(t);
          if (it != by_token.end())
            candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        }
      }
    }
    std::ranges::sort(candidates);
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    double best = options.threshold;
    int target = -1;
    for (int f : candidates) {
      const double s = mean_similarity(ev, members[c], members[static_cast<std::size_t>(f)]);
      if (s >= best && (target < 0 || s > best)) best = s, target = f;
    }
    if (target >= 0) {
      for (auto i : members[c]) labels[i] = target;
    }
  }
}

}  // namespace

std::string author_name_count_key(const AuthorSignature& mention) {
  return author_features::analyse_given(mention.given).joined + " " +
         normalise::fold_key(mention.family);
}

std::vector<int> cluster_authors(std::span<const AuthorSignature> mentions,
                                 const AuthorClusterOptions& options) {
  std::vector<int> labels(mentions.size(), -1);
  if (mentions.empty()) return labels;
  const Evidence ev(mentions, options);
  int next_label = 0;
  if (mentions.size() > options.large_block) {
    cluster_large(mentions, ev, options, labels, next_label);
  } else {
    std::vector<std::size_t> all(mentions.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    cluster_bounded(mentions, ev, all, options, labels, next_label);
  }
  // Manual link groups hold even across sub-blocks (a merged "Bill" and "William" fall
  // into different sub-blocks of a large input): their clusters become one, unless a
  // manual split keeps two of their members apart.
  std::map<int, std::vector<std::size_t>> members;
  bool linked = false;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    members[labels[i]].push_back(i);
    linked = linked || mentions[i].link_group != 0;
  }
  if (linked) {
    std::map<std::int64_t, std::size_t> first_of_group;
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      if (mentions[i].link_group == 0) continue;
      const int into = labels[first_of_group.try_emplace(mentions[i].link_group, i).first->second];
      const int from = labels[i];
      if (into == from) continue;
      auto& keep = members[into];
      auto& move = members[from];
      bool apart = false;
      for (auto x : keep) {
        for (auto y : move) apart = apart || ev.kept_apart(x, y);
      }
      if (apart) continue;
      for (auto y : move) labels[y] = into;
      keep.insert(keep.end(), move.begin(), move.end());
      move.clear();
    }
  }
  // Renumber by first appearance.
  std::unordered_map<int, int> renumber;
  for (auto& l : labels)
    l = renumber.try_emplace(l, static_cast<int>(renumber.size())).first->second;
  return labels;
}

std::vector<int> attach_authors(std::span<const AuthorSignature> mentions,
                                std::span<const int> known, const AuthorClusterOptions& options) {
  std::vector<int> labels(known.begin(), known.end());
  labels.resize(mentions.size(), -1);
  std::vector<std::size_t> fresh;
  int next_label = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0) {
      fresh.push_back(i);
    } else {
      next_label = std::max(next_label, labels[i] + 1);
    }
  }
  if (!fresh.empty()) {
    const Evidence ev(mentions, options);
    const int first_new = next_label;
    std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(first_new));
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] >= 0) members[static_cast<std::size_t>(labels[i])].push_back(i);
    }
    cluster_bounded(mentions, ev, fresh, options, labels, next_label);
    std::map<int, std::vector<std::size_t>> groups;  // new clusters, by label
    for (auto i : fresh) groups[labels[i]].push_back(i);
    for (const auto& [label, items] : groups) {
      bool has_orcid = false;
      for (auto i : items) has_orcid = has_orcid || !mentions[i].orcid.empty();
      int target = -1;
      double best = options.threshold;
      for (int c = 0; c < first_new; ++c) {
        const auto& into = members[static_cast<std::size_t>(c)];
        if (into.empty()) continue;
        const double s = mean_similarity(ev, items, into);
        if (s < 0) continue;
        bool shares_orcid = false;
        for (auto i : items) {
          if (!has_orcid) break;
          for (auto j : into) shares_orcid = shares_orcid || ev.must_link(i, j);
        }
        if (shares_orcid) {
          target = c;
          break;
        }
        if (s >= best && (target < 0 || s > best)) best = s, target = c;
      }
      if (target >= 0) {
        for (auto i : items) labels[i] = target;
      }
    }
  }
  std::unordered_map<int, int> renumber;
  for (auto& l : labels)
    l = renumber.try_emplace(l, static_cast<int>(renumber.size())).first->second;
  return labels;
}

struct AuthorPairScorer::Impl {
  Evidence evidence;
};

AuthorPairScorer::AuthorPairScorer(std::span<const AuthorSignature> mentions,
                                   const AuthorClusterOptions& options)
    : impl_(std::make_unique<Impl>(Impl{Evidence(mentions, options)})) {}
AuthorPairScorer::~AuthorPairScorer() = default;
AuthorPairScorer::AuthorPairScorer(AuthorPairScorer&&) noexcept = default;
AuthorPairScorer& AuthorPairScorer::operator=(AuthorPairScorer&&) noexcept = default;

std::size_t AuthorPairScorer::size() const noexcept {
  return impl_->evidence.size();
}
bool AuthorPairScorer::cannot_link(std::size_t i, std::size_t j) const {
  return !impl_->evidence.must_link(i, j) && impl_->evidence.cannot_link(i, j);
}
bool AuthorPairScorer::must_link(std::size_t i, std::size_t j) const {
  return impl_->evidence.must_link(i, j);
}
double AuthorPairScorer::log_odds(std::size_t i, std::size_t j) const {
  return impl_->evidence.log_odds(i, j);
}
double AuthorPairScorer::probability(std::size_t i, std::size_t j) const {
  const float s = impl_->evidence.similarity(i, j);
  return s < 0 ? 0.0 : s;
}

}  // namespace bzpeer::dedupe
