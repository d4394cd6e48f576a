// bzpeer — constrained average-linkage clustering (see author_hac.hpp).
#include "pipeline/dedupe/author_hac.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace bzpeer::dedupe::author_hac {
namespace {

class Forest {
 public:
  explicit Forest(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

struct State {
  SimilarityMatrix& sim;
  std::vector<std::uint32_t> size;
  std::vector<char> alive;
  std::vector<std::uint32_t> order;  // alive clusters, ascending
  Forest forest;

  /// Merges b into a: Lance–Williams update for average linkage.
  void merge(std::uint32_t a, std::uint32_t b) {
    const float na = static_cast<float>(size[a]);
    const float nb = static_cast<float>(size[b]);
    for (const auto k : order) {
      if (k == a || k == b) continue;
      const float sa = sim.get(a, k);
      const float sb = sim.get(b, k);
      float merged;
      if (sa == -std::numeric_limits<float>::infinity() ||
          sb == -std::numeric_limits<float>::infinity()) {
        merged = -std::numeric_limits<float>::infinity();
      } else {
        merged = (na * sa + nb * sb) / (na + nb);
      }
      sim.set(a, k, merged);
    }
    size[a] += size[b];
    forest.join(a, b);
    remove(b);
  }
  void remove(std::uint32_t x) {
    alive[x] = 0;
    order.erase(std::ranges::lower_bound(order, x));
  }
};

}  // namespace

std::vector<int> strong_links(const SimilarityMatrix& sim, std::span<const int> must_groups,
                              double threshold, double group_mean,
                              const std::function<bool(std::size_t, std::size_t)>& eligible) {
  const std::size_t n = sim.size();
  constexpr float kCannot = -std::numeric_limits<float>::infinity();
  Forest forest(n);
  std::vector<std::vector<std::uint32_t>> members(n);
  for (std::size_t i = 0; i < n; ++i) members[i].push_back(static_cast<std::uint32_t>(i));
  auto join = [&](std::uint32_t a, std::uint32_t b) {
    a = forest.find(a), b = forest.find(b);
    if (a == b) return;
    forest.join(a, b);
    const auto root = forest.find(a);
    const auto other = root == a ? b : a;
    members[root].insert(members[root].end(), members[other].begin(), members[other].end());
    members[other].clear();
    members[other].shrink_to_fit();
  };
  std::map<int, std::uint32_t> first_of_group;
  for (std::size_t i = 0; i < n && i < must_groups.size(); ++i) {
    if (must_groups[i] < 0) continue;
    auto [it, inserted] = first_of_group.try_emplace(must_groups[i], static_cast<std::uint32_t>(i));
    if (!inserted) join(it->second, static_cast<std::uint32_t>(i));
  }
  struct Pair {
    float s;
    std::uint32_t a, b;
  };
  std::vector<Pair> pairs;
  const float t = static_cast<float>(threshold);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const float s = sim.get(a, b);
      if (s >= t && (!eligible || eligible(a, b)))
        pairs.push_back({s, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
    }
  }
  std::ranges::sort(pairs, [](const Pair& x, const Pair& y) {
    if (x.s != y.s) return x.s > y.s;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  // A refused join stays refused: conflicts only grow as groups grow.
  std::set<std::pair<std::uint32_t, std::uint32_t>> refused;
  for (const auto& p : pairs) {
    auto ra = forest.find(p.a);
    auto rb = forest.find(p.b);
    if (ra == rb) continue;
    if (ra > rb) std::swap(ra, rb);
    if (refused.contains({ra, rb})) continue;
    bool conflict = false;
    double sum = 0;
    for (auto x : members[ra]) {
      for (auto y : members[rb]) {
        const float s = sim.get(x, y);
        if (s == kCannot) {
          conflict = true;
          break;
        }
        sum += s;
      }
      if (conflict) break;
    }
    // Two groups of several mentions need more than one strong pair: their mean too.
    const double pair_count = static_cast<double>(members[ra].size() * members[rb].size());
    if (!conflict && members[ra].size() > 1 && members[rb].size() > 1 &&
        sum / pair_count < group_mean) {
      conflict = true;
    }
    if (conflict) {
      refused.insert({ra, rb});
    } else {
      join(ra, rb);
    }
  }
  std::vector<int> groups(n);
  for (std::size_t i = 0; i < n; ++i)
    groups[i] = static_cast<int>(forest.find(static_cast<std::uint32_t>(i)));
  return groups;
}

std::vector<int> average_linkage(SimilarityMatrix& sim, std::span<const int> must_groups,
                                 double threshold) {
  const std::size_t n = sim.size();
  State st{sim, std::vector<std::uint32_t>(n, 1), std::vector<char>(n, 1), {}, Forest(n)};
  st.order.resize(n);
  std::iota(st.order.begin(), st.order.end(), 0u);

  // Must-link groups first, whatever their similarity.
  std::map<int, std::uint32_t> first_of_group;
  for (std::size_t i = 0; i < n && i < must_groups.size(); ++i) {
    if (must_groups[i] < 0) continue;
    auto [it, inserted] = first_of_group.try_emplace(must_groups[i], static_cast<std::uint32_t>(i));
    if (!inserted) st.merge(it->second, static_cast<std::uint32_t>(i));
  }

  // Nearest-neighbour chain; a cluster whose best neighbour is below the threshold can
  // never reach it again (averages of values below it stay below it) and retires.
  const float t = static_cast<float>(threshold);
  std::vector<char> retired(n, 0);
  std::vector<std::uint32_t> chain;
  std::vector<std::uint32_t> candidates = st.order;
  std::size_t next_start = 0;
  while (true) {
    if (chain.empty()) {
      while (next_start < candidates.size() &&
             (!st.alive[candidates[next_start]] || retired[candidates[next_start]])) {
        ++next_start;
      }
      if (next_start == candidates.size()) break;
      chain.push_back(candidates[next_start]);
    }
    const std::uint32_t a = chain.back();
    const std::uint32_t prev = chain.size() >= 2 ? chain[chain.size() - 2] : a;
    float best = -std::numeric_limits<float>::infinity();
    std::uint32_t b = a;
    for (const auto k : st.order) {
      if (k == a || retired[k]) continue;
      const float s = sim.get(a, k);
      if (s > best) best = s, b = k;
    }
    if (prev != a && sim.get(a, prev) >= best) b = prev, best = sim.get(a, prev);
    if (b == a || !(best >= t)) {
      retired[a] = 1;
      chain.pop_back();
      continue;
    }
    if (b == prev) {
      chain.pop_back();
      chain.pop_back();
      st.merge(std::min(a, b), std::max(a, b));
      continue;
    }
    chain.push_back(b);
  }

  std::vector<int> labels(n, -1);
  std::vector<int> label_of_root(n, -1);
  int next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = st.forest.find(static_cast<std::uint32_t>(i));
    if (label_of_root[r] < 0) label_of_root[r] = next++;
    labels[i] = label_of_root[r];
  }
  return labels;
}

}  // namespace bzpeer::dedupe::author_hac
