// bzpeer — author disambiguation inside a name block: which mentions are one person.
//
// The clusterer is pure (no I/O). The store and `bzpeer eval authors` both gather the
// evidence for each mention into an AuthorSignature and call cluster_authors().
//
// How it decides:
// - Hard constraints. Manual overrides first (link groups and splits, see
//   AuthorSignature::link_group). The same ORCID must link. Different ORCIDs, two mentions on one
//   work, and incompatible given names ("Samuel S." vs "Samuel T.", "J. A." vs "J. B.", "John" vs
//   "Jane") cannot link. First names that are known variants of each other ("Will" and
//   "William", from the S2AND name table, see author_name_variants.hpp) are not a
//   contradiction, but only weak evidence.
// - Pair evidence, summed as log-odds and turned into a probability: how well the given
//   names agree (a middle initial makes an identical name rarer), less the more fuller
//   given names in the input the name fits ("P." beside "Ping" and "Peng"); shared
//   co-authors, each worth less the more common its name key is in the corpus (more
//   shared co-authors never lower the score); disjoint co-author lists count against, and
//   when either side has no list an identical given name speaks for itself; shared
//   categories/topics, venue and title words (weighted by inverse frequency in the input);
//   affiliation similarity; the gap in years.
// - Pairs that are strong on evidence beyond the name (both list co-authors) are joined
//   first, single-link style, unless that joins a cannot-link pair; then average-linkage
//   agglomerative clustering on the probabilities, stopped at a threshold, with
//   cannot-links that propagate (a cluster never absorbs a mention that conflicts with any
//   of its members); then clusters compared as whole profiles (author_profiles.hpp).
// - Very large inputs (common CJK surnames: Wang, Li, Zhang, Kim) are split first by the
//   full first given name ("wei", "wen", …); initial-only mentions form sub-blocks of their
//   own and are then attached to the full-name cluster they match best, if any.
//
// The result is deterministic: it depends only on the order of the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace bzpeer::dedupe {

class NameVariants;

/// One author mention and the evidence around it. Every field may be empty.
struct AuthorSignature {
  std::string given;                   ///< "Samuel S.", "S. S.", "Shang-Yung"
  std::string family;                  ///< "Schoenholz", "van der Waals"
  std::string suffix;                  ///< "Jr.", "III"
  std::string orcid;                   ///< bare ORCID, compared exactly
  std::string affiliation;             ///< free text
  std::vector<std::string> coauthors;  ///< name keys of the other authors of the work
  std::vector<std::string> topics;     ///< categories / topic labels of the work
  std::string venue;                   ///< journal or venue name
  std::vector<std::string> words;      ///< title words (stems), lower case
  int year = 0;                        ///< 0 = unknown
  std::int64_t work_id = 0;            ///< 0 = unknown (then no same-work cannot-link)
  /// Manual overrides (`bzpeer author merge|split`). Mentions with the same non-zero
  /// `link_group` must be one person. `apart` holds sides of splits, 2k and 2k + 1 for the
  /// two sides of split k: a mention holding 2k and one holding 2k + 1 must not be one
  /// person. A split wins over a link group and over a shared ORCID; a link group wins
  /// over every other cannot-link (one work, different ORCIDs, incompatible names).
  std::int64_t link_group = 0;
  std::vector<std::int64_t> apart;
};

/// Log-odds weights of the pair evidence. Tuned on the ANDez training split (B3 F1) for
/// everything co-authors, venues, words and years inform, and on INSPIRE "wang" for the
/// name-only and affiliation evidence (those mentions have no co-authors); one set of
/// weights serves every source. Figures: /work/notes/authors.md (README "Authors").
struct AuthorScoreWeights {
  double bias = -2.31;
  double name_full = 1.52;           ///< identical full given names ("peter j" = "peter j")
  double name_full_partial = 0.32;   ///< same full first name, one lacks the middle name
  double name_initials_match = 2.9;  ///< full vs matching initials ("Song-Ming" ~ "S. M.")
  double name_initials = 2.33;       ///< identical initials only ("S. M." = "S. M.")
  double name_partial = 0.43;        ///< compatible, nothing more ("P." ~ "Peter J.")
  double name_nickname = -0.5;       ///< first names are known variants ("Bill" ~ "William")
  /// Minus this × ln(mentions of the full name). Off by default: in a name block, mention
  /// counts measure how prolific one person is as much as how common the name is.
  double name_common = 0.0;
  /// Minus this × ln(1 + distinct fuller given names in the input that fit the name): "P."
  /// is ambiguous where "Ping" and "Peng" both occur, "Dayong" is not.
  double name_ambiguous = 0.4;
  double name_middle = 3.4;       ///< identical given names with a middle initial ("matthew c")
  double suffix_conflict = -3.0;  ///< "Jr." vs "Sr."
  double coauthor_first = 3.4;    ///< one shared co-author (of worth 1, see coauthor_common)
  double coauthor_more = 1.27;    ///< plus this × ln(summed worth of shared co-authors)
  /// A shared co-author key is worth 1 / (1 + this × ln(mentions of the key)): "li j" is
  /// shared by chance far more often than "kovac s".
  double coauthor_common = 0.08;
  double coauthor_none = -1.6;  ///< both have co-authors, none shared (the minimum)
  /// Either side lists no co-authors (INSPIRE signatures, single-author works): identical
  /// given names then speak for themselves. Both sides listing co-authors and sharing none
  /// is evidence against; no list is no evidence either way (and a shared co-author never
  /// counts for less than that).
  double coauthor_unknown = 3.0;
  double coauthor_unknown_partial = 0.0;  ///< ... for other compatible given names
  double affiliation = 2.44;              ///< × idf-weighted token Jaccard of affiliations
  double affiliation_equal = 0.0;         ///< identical (folded) affiliations
  double affiliation_differ = -0.75;      ///< both known, nothing shared
  double venue = 3.1;                     ///< same venue
  double topics = 0.55;                   ///< × idf-weighted Jaccard of topics
  double topics_differ = -1.5;  ///< both have topics, none shared (not tuned: ANDez has none)
  double words = 0.77;          ///< × idf sum of shared title words (capped)
  double words_cap = 8.0;
  double year_gap = -0.1;  ///< × years beyond `year_free`
  double year_free = 2.0;
  double year_cap = 15.0;
};

/// Profile pairs: a weaker name and word signal, a stronger venue/topic one.
[[nodiscard]] constexpr AuthorScoreWeights default_profile_weights() {
  AuthorScoreWeights w;
  w.bias = -2.5;
  w.name_full = 2.5;
  w.name_full_partial = 1.0;
  w.name_initials_match = 1.5;
  w.name_initials = 0.8;
  w.name_partial = 0.0;
  w.name_common = 0.4;
  w.coauthor_first = 2.45;
  w.coauthor_more = 1.0;
  w.affiliation = 2.0;
  w.affiliation_equal = 1.0;
  w.affiliation_differ = -0.3;
  w.venue = 1.0;
  w.topics = 1.0;
  w.words = 0.035;
  w.year_gap = -0.26;
  w.topics_differ = -1.5;
  return w;
}

struct AuthorClusterOptions {
  AuthorScoreWeights weights;
  /// Average-linkage stop: clusters merge while their mean pair probability is at least this.
  double threshold = 0.53;
  /// Pairs at least this probable are joined first, single-link style, unless that would
  /// put a cannot-link pair into one cluster.
  double strong_threshold = 0.72;
  /// ... and, when both sides already hold several mentions, their mean probability must
  /// reach this (one noisy strong pair must not chain two people).
  double strong_group_mean = 0.1;
  /// Strong pairs must both list co-authors (a name-only pair never chains).
  bool strong_needs_coauthors = true;
  /// Clusters whose profiles (see author_profiles.hpp) are at least this probable merge.
  double profile_threshold = 0.9;
  /// Weights for profile pairs (profiles share more by chance than single mentions).
  AuthorScoreWeights profile_weights = default_profile_weights();
  /// Inputs larger than this are split by full first given name before clustering.
  std::size_t large_block = 2500;
  /// No single clustering problem grows beyond this many mentions (memory is n²/2 floats).
  std::size_t max_dense = 4000;
  /// The first-name variant table; null = the built-in S2AND table.
  const NameVariants* variants = nullptr;
  /// Mentions per folded full name ("peter j smith") in the whole corpus, for name rarity;
  /// null = counted over the input.
  const std::unordered_map<std::string, int>* name_counts = nullptr;
  /// Mentions per name key (the co-author keys, name_block_key) in the whole corpus, for
  /// co-author rarity; null = counted over the co-author lists of the input.
  const std::unordered_map<std::string, int>* coauthor_counts = nullptr;
};

/// Cluster labels, one per mention, numbered 0, 1, … in order of each cluster's first mention.
[[nodiscard]] std::vector<int> cluster_authors(std::span<const AuthorSignature> mentions,
                                               const AuthorClusterOptions& options = {});

/// Incremental clustering: `known` holds, for each mention, the cluster it already belongs
/// to (0, 1, …) or -1 for a new mention. Known mentions keep their clusters. The new ones are
/// clustered among themselves as cluster_authors() would, then each of their clusters joins
/// the known cluster that shares an ORCID with it, or else the one with the highest mean pair
/// probability when that reaches options.threshold (average linkage, as the agglomerative
/// step stops) and no pair cannot link; otherwise it stays a new cluster. Costs
/// O(new × input) pair scores rather than cluster_authors()'s O(input²). Labels are
/// renumbered by first appearance, as cluster_authors() numbers them. Manual link groups and
/// splits are not applied here: inputs carrying them go through cluster_authors().
[[nodiscard]] std::vector<int> attach_authors(std::span<const AuthorSignature> mentions,
                                              std::span<const int> known,
                                              const AuthorClusterOptions& options = {});

/// The folded full name used for rarity counts: fold_key(given + " " + family).
[[nodiscard]] std::string author_name_count_key(const AuthorSignature& mention);

/// Scores pairs of one input the way cluster_authors does (for tests and explanations).
class AuthorPairScorer {
 public:
  AuthorPairScorer(std::span<const AuthorSignature> mentions, const AuthorClusterOptions& options);
  ~AuthorPairScorer();
  AuthorPairScorer(AuthorPairScorer&&) noexcept;
  AuthorPairScorer& operator=(AuthorPairScorer&&) noexcept;

  [[nodiscard]] std::size_t size() const noexcept;
  /// True when i and j must be different people (different ORCID, one work, names).
  [[nodiscard]] bool cannot_link(std::size_t i, std::size_t j) const;
  /// True when i and j must be one person (same ORCID).
  [[nodiscard]] bool must_link(std::size_t i, std::size_t j) const;
  /// The evidence as log-odds (ignores the constraints).
  [[nodiscard]] double log_odds(std::size_t i, std::size_t j) const;
  /// The match probability in [0, 1]; 0 when cannot_link.
  [[nodiscard]] double probability(std::size_t i, std::size_t j) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::dedupe
