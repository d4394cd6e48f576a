// bzpeer — the author clusterer's last step: clusters compared as whole profiles
// (internal header).
//
// Pairwise evidence is sparse: a person's 20 papers rarely share a co-author pair by pair,
// so average linkage leaves one person in several clusters. Here each cluster becomes one
// profile — the union of its co-authors, topics, venues and title words, its fullest given
// name, its median year, its most frequent affiliation — and profiles are scored with the
// same pair score. Profile pairs at least `profile_threshold` probable merge, best first,
// unless the two clusters hold a cannot-link pair (one work, different ORCIDs,
// incompatible given names).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "pipeline/dedupe/author_clusterer.hpp"

namespace bzpeer::dedupe::author_profiles {

/// `labels[k]` is the cluster (0..) of mentions[items[k]]; returns the merged labels.
[[nodiscard]] std::vector<int> merge_profiles(std::span<const AuthorSignature> mentions,
                                              const std::vector<std::size_t>& items,
                                              const std::vector<int>& labels,
                                              const AuthorClusterOptions& options);

}  // namespace bzpeer::dedupe::author_profiles
