// bzpeer — first-name variants (nicknames, transliterations): "will" ~ "william".
//
// The built-in table is S2AND's `s2and_name_tuples_filtered.txt` (allenai/S2AND@ec29373,
// ODC-BY / CC BY 4.0, credit AI2), shipped as config/data/name_variants.txt and compiled
// into the program at build time (pipeline/CMakeLists.txt generates a header from it), so
// an installed binary and the tests need no data file at run time.
//
// The clusterer uses it only as soft evidence: two first names in the table are not a
// contradiction, but they never count as much as the same name.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace bzpeer::dedupe {

class NameVariants {
 public:
  NameVariants() = default;

  /// Reads "name,variant" lines (CRLF or LF; blank lines and lines without a comma are
  /// skipped). Names are folded (fold_key) and the relation is made symmetric.
  [[nodiscard]] static NameVariants parse(std::string_view text);

  /// The built-in S2AND table (parsed once, on first use; thread-safe).
  [[nodiscard]] static const NameVariants& builtin();

  /// True when the two folded first names are listed as variants (either direction).
  [[nodiscard]] bool are_variants(std::string_view a, std::string_view b) const;

  [[nodiscard]] std::size_t size() const noexcept { return pairs_.size(); }

 private:
  void add_line(std::string_view line);
  std::unordered_set<std::string> pairs_;  // "a\tb" for both orders
};

}  // namespace bzpeer::dedupe
