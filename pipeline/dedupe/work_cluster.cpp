// bzpeer — blocking and clustering of works (see work_matcher.hpp).
#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/dedupe/work_matcher.hpp"

namespace bzpeer::dedupe {
namespace {

/// Union-find over record indices whose groups keep their members (for the guard).
class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n), members_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
    for (std::size_t i = 0; i < n; ++i) members_[i] = {static_cast<int>(i)};
  }
  int find(int x) {
    while (parent_[static_cast<std::size_t>(x)] != x) {
      auto& p = parent_[static_cast<std::size_t>(x)];
      p = parent_[static_cast<std::size_t>(p)];
      x = p;
    }
    return x;
  }
  const std::vector<int>& members(int root) const {
    return members_[static_cast<std::size_t>(root)];
  }
  void join(int a, int b) {
    if (members_[static_cast<std::size_t>(a)].size() <
        members_[static_cast<std::size_t>(b)].size()) {
      std::swap(a, b);
    }
    parent_[static_cast<std::size_t>(b)] = a;
    auto& into = members_[static_cast<std::size_t>(a)];
    auto& from = members_[static_cast<std::size_t>(b)];
    into.insert(into.end(), from.begin(), from.end());
    from.clear();
  }

 private:
  std::vector<int> parent_;
  std::vector<std::vector<int>> members_;
};

}  // namespace

std::vector<std::string> blocking_keys(const PreparedWork& w) {
  std::vector<std::string> keys;
  if (!w.fingerprint.empty() && !w.generic) keys.push_back("f:" + w.fingerprint);
  for (const auto& d : w.doi_keys) keys.push_back("d:" + d);
  if (!w.arxiv_id.empty()) keys.push_back("x:" + w.arxiv_id);
  if (!w.author_keys.empty() && w.year != 0) {
    // Each record sits in the windows [year, year + gap]; two records at most `gap`
    // years apart share the window of the later year.
    const int gap = w.preprint ? 3 : 1;
    for (int y = w.year; y <= w.year + gap; ++y) {
      keys.push_back("a:" + w.author_keys.front() + "|" + std::to_string(y));
    }
  }
  if (w.tokens.size() >= 2 && !w.generic) {
    keys.push_back("p:" + w.tokens[0] + " " + w.tokens[1]);
    keys.push_back("q:" + w.tokens[w.tokens.size() - 2] + " " + w.tokens.back());
  }
  return keys;
}

std::vector<std::pair<int, int>> candidate_pairs(const std::vector<PreparedWork>& works,
                                                 std::size_t max_block) {
  std::unordered_map<std::string, std::vector<int>> blocks;
  for (std::size_t i = 0; i < works.size(); ++i) {
    for (auto& k : blocking_keys(works[i])) blocks[std::move(k)].push_back(static_cast<int>(i));
  }
  std::unordered_set<std::uint64_t> seen;
  std::vector<std::pair<int, int>> out;
  for (const auto& [key, members] : blocks) {
    if (members.size() < 2 || members.size() > max_block) continue;
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        const auto i = static_cast<std::uint64_t>(std::min(members[x], members[y]));
        const auto j = static_cast<std::uint64_t>(std::max(members[x], members[y]));
        if (i != j && seen.insert(i << 32 | j).second) {
          out.emplace_back(static_cast<int>(i), static_cast<int>(j));
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> cluster(const std::vector<PreparedWork>& works) {
  struct Link {
    int a, b;
    int rank;  // 0 arXiv id, 1 DOI, 2 fuzzy
    double sim;
  };
  std::vector<Link> links;
  for (const auto& [i, j] : candidate_pairs(works)) {
    const auto d = match(works[static_cast<std::size_t>(i)], works[static_cast<std::size_t>(j)]);
    if (d.verdict != Verdict::same) continue;
    const int rank = d.evidence == Evidence::arxiv_id ? 0 : d.evidence == Evidence::doi ? 1 : 2;
    links.push_back({i, j, rank, d.title_similarity});
  }
  // Strongest first; ties by index so the result does not depend on hash order.
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    if (x.rank != y.rank) return x.rank < y.rank;
    if (x.sim != y.sim) return x.sim > y.sim;
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  });
  Groups groups(works.size());
  for (const auto& l : links) {
    const int ra = groups.find(l.a);
    const int rb = groups.find(l.b);
    if (ra == rb) continue;
    bool ok = true;
    for (const int x : groups.members(ra)) {
      for (const int y : groups.members(rb)) {
        if (match(works[static_cast<std::size_t>(x)], works[static_cast<std::size_t>(y)]).veto) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (ok) groups.join(ra, rb);
  }
  std::vector<int> label(works.size());
  std::unordered_map<int, int> smallest;
  for (std::size_t i = 0; i < works.size(); ++i) {
    const int root = groups.find(static_cast<int>(i));
    smallest.try_emplace(root, static_cast<int>(i));  // i ascends: the first is the smallest
    label[i] = smallest[root];
  }
  return label;
}

std::vector<int> cluster(const std::vector<WorkKey>& works) {
  std::vector<PreparedWork> prepared;
  prepared.reserve(works.size());
  for (const auto& w : works) prepared.push_back(prepare(w));
  return cluster(prepared);
}

}  // namespace bzpeer::dedupe
