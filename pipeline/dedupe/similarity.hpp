// bzpeer — string and set similarities used by the work matcher.
//
// All return a value in [0, 1], 1 meaning identical; all are pure and never throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::dedupe {

/// |A ∩ B| / |A ∪ B| over the distinct tokens of two token lists. Two empty lists give 0.
[[nodiscard]] double token_jaccard(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b);

/// |A ∩ B| / min(|A|, |B|) over distinct tokens: 1 when one title is a prefix-like subset
/// of the other (a dropped subtitle). Two empty lists give 0.
[[nodiscard]] double token_containment(const std::vector<std::string>& a,
                                       const std::vector<std::string>& b);

/// Dice coefficient over the character trigrams of " " + s + " " (bytes).
/// Robust to typos and split/joined words ("data base" vs "database").
[[nodiscard]] double trigram_similarity(std::string_view a, std::string_view b);

/// 1 − Levenshtein(a, b) / max(|a|, |b|) over bytes. Returns 0 early (without the full
/// O(|a|·|b|) table) when the length difference alone puts the result below `floor`.
[[nodiscard]] double edit_similarity(std::string_view a, std::string_view b, double floor = 0.0);

}  // namespace bzpeer::dedupe
