// bzpeer — the author clusterer's prepared evidence and pair score (internal header).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/dedupe/author_clusterer.hpp"
#include "pipeline/dedupe/author_name_variants.hpp"

namespace bzpeer::dedupe::author_features {

/// How two given names relate, from "contradict" to "identical".
enum class NameMatch {
  incompatible,    ///< "Samuel S." vs "Samuel T."; "John" vs "Jane"
  unknown,         ///< one side has no given name
  partial,         ///< compatible, different shapes ("P." vs "Peter J.")
  nickname,        ///< first names are listed variants ("Will" vs "William J.")
  full_partial,    ///< same full first name, one lacks the rest ("Peter" vs "Peter J.")
  initials,        ///< the same initials only ("S. M." vs "S. M.")
  initials_match,  ///< full names vs their initials ("Song-Ming" vs "S. M.")
  full,            ///< identical full given names ("Shang-Yung" = "Shangyung")
};

struct GivenName {
  std::vector<std::string> tokens;  ///< folded words ("song", "ming")
  std::string joined;               ///< tokens without spaces
  std::string initials;             ///< first letter of each token
  bool first_is_full = false;       ///< the first token is more than one letter
  bool has_full = false;            ///< any token is more than one letter
  bool has_middle_initial = false;  ///< a later token is a single letter ("matthew c")
};

[[nodiscard]] GivenName analyse_given(std::string_view given);
[[nodiscard]] NameMatch compare_given(const GivenName& a, const GivenName& b,
                                      const NameVariants& variants);

/// A bag of interned tokens with inverse-frequency weights.
struct Bag {
  std::vector<std::uint32_t> ids;  ///< sorted, unique
  double weight = 0;               ///< sum of the idf of `ids`
};

struct Prepared {
  GivenName given;
  std::string suffix;  ///< folded
  std::string orcid;
  std::int64_t work_id = 0;
  std::int64_t link_group = 0;      ///< manual must-link group, 0 = none
  std::vector<std::int64_t> apart;  ///< manual split sides (sorted)
  int year = 0;
  int name_count = 1;
  int fuller_names = 0;     ///< distinct fuller given names in the input compatible with this one
  std::uint32_t venue = 0;  ///< interned, 0 = none
  std::uint32_t affiliation = 0;  ///< interned whole folded affiliation, 0 = none
  std::vector<std::uint32_t> coauthors;
  Bag topics, words, affiliation_tokens;
};

/// All mentions of one input, prepared once; pairs are then scored in O(tokens).
class Evidence {
 public:
  Evidence(std::span<const AuthorSignature> mentions, const AuthorClusterOptions& options);

  [[nodiscard]] std::size_t size() const noexcept { return prepared_.size(); }
  [[nodiscard]] const Prepared& at(std::size_t i) const noexcept { return prepared_[i]; }
  [[nodiscard]] bool cannot_link(std::size_t i, std::size_t j) const;
  [[nodiscard]] bool must_link(std::size_t i, std::size_t j) const;
  /// A manual split puts i and j on different sides.
  [[nodiscard]] bool kept_apart(std::size_t i, std::size_t j) const;
  [[nodiscard]] double log_odds(std::size_t i, std::size_t j) const;
  /// Probability in [0, 1], or -infinity for a cannot-link.
  [[nodiscard]] float similarity(std::size_t i, std::size_t j) const;

 private:
  [[nodiscard]] double shared_weight(const Bag& a, const Bag& b,
                                     const std::vector<double>& idf) const;
  AuthorScoreWeights w_;
  const NameVariants* variants_;
  std::vector<Prepared> prepared_;
  std::vector<double> idf_;              ///< per interned token
  std::vector<double> coauthor_weight_;  ///< per interned token: a shared co-author's worth
};

}  // namespace bzpeer::dedupe::author_features
