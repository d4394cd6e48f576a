// bzpeer — average-linkage agglomerative clustering with constraints, stopped at a
// threshold (internal to the author clusterer; pure).
//
// Similarities live in a condensed n×n matrix of floats (n(n-1)/2 entries). A similarity of
// -infinity is a cannot-link: under average linkage it spreads to every cluster that
// contains either side, so such clusters never merge. Must-link groups are merged first.
// The nearest-neighbour-chain algorithm gives the same clusters as greedy "merge the best
// pair while it is at least the threshold" (average linkage is reducible) in O(n²) time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace bzpeer::dedupe::author_hac {

class SimilarityMatrix {
 public:
  explicit SimilarityMatrix(std::size_t n) : n_(n), values_(n < 2 ? 0 : n * (n - 1) / 2, 0.0f) {}
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// i != j, either order.
  [[nodiscard]] float get(std::size_t i, std::size_t j) const noexcept {
    return values_[index(i, j)];
  }
  void set(std::size_t i, std::size_t j, float value) noexcept { values_[index(i, j)] = value; }

 private:
  [[nodiscard]] std::size_t index(std::size_t i, std::size_t j) const noexcept {
    if (i > j) std::swap(i, j);
    return i * n_ - i * (i + 1) / 2 + (j - i - 1);
  }
  std::size_t n_;
  std::vector<float> values_;
};

/// Joins pairs whose similarity is at least `threshold`, best first (ties by index), into
/// groups, starting from `must_groups` (same id ≥ 0 = one group; -1 = none); a join is
/// refused when the two groups contain a cannot-link (-infinity) pair. Returns group ids
/// (≥ 0, one per item) for average_linkage. Two groups of more than one item also need a
/// mean similarity of at least `group_mean` (one noisy pair must not chain two people).
/// `eligible(i, j)`, when given, says which pairs may be joined at all (the others still
/// count for the conflict and mean checks).
[[nodiscard]] std::vector<int> strong_links(
    const SimilarityMatrix& sim, std::span<const int> must_groups, double threshold,
    double group_mean, const std::function<bool(std::size_t, std::size_t)>& eligible = {});

/// Clusters the n items of `sim` (which it overwrites). `must_groups[i]` is a group id
/// (items with the same id ≥ 0 are merged before anything else; -1 = none). Returns labels
/// 0, 1, … numbered by each cluster's smallest item.
[[nodiscard]] std::vector<int> average_linkage(SimilarityMatrix& sim,
                                               std::span<const int> must_groups, double threshold);

}  // namespace bzpeer::dedupe::author_hac
