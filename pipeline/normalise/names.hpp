// bzpeer — author names: arXiv author strings and matching keys.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::normalise {

struct ParsedName {
  std::string printed;      ///< the name as printed, TeX converted, whitespace collapsed
  std::string given;        ///< "S. S." / "Samuel S." (dotted initials spaced: "S.M." → "S. M.")
  std::string family;       ///< keyname incl. particles ("van der Waals", "Di Francesco")
  std::string suffix;       ///< "Jr.", "III", … ("Jr-Shin" is a given name, not a suffix)
  std::string affiliation;  ///< from parentheses; numbered affiliations resolved
  bool is_collaboration = false;  ///< "ATLAS Collaboration", "the IceCube Collaboration"
};

/// Splits an arXiv `authors` string following arXiv's own conventions (arxiv-base
/// `parse_author_affil`): separators `,` ` and ` ` & ` and `:` after a collaboration;
/// affiliations in parentheses, numbered `(1,2)`/`(1 and 2)` resolved against a trailing
/// `((1) A, (2) B)` list and back-propagated to the names before them; "et al." dropped;
/// suffixes split off by a comma recombined. TeX is converted to Unicode first.
/// Never throws; an empty or unparseable string gives an empty vector.
[[nodiscard]] std::vector<ParsedName> parse_arxiv_authors(std::string_view authors);

/// Splits "First Middle Last" (one name, no separators) into given/family/suffix with the
/// particle list van|der|de|la|von|del|della|da|mac|ter|dem|di|du|le.
[[nodiscard]] ParsedName parse_person_name(std::string_view name);

/// Blocking key for author disambiguation: folded family name + " " + first initial of the
/// folded given name, e.g. "schoenholz s". A mention without a given name gives the family key.
[[nodiscard]] std::string name_block_key(std::string_view given, std::string_view family);

/// True when two given-name strings can belong to one person: "S. S." ~ "Samuel S." ~
/// "Samuel"; "Samuel S." vs "Samuel T." is false; "S." vs "T." is false.
[[nodiscard]] bool given_names_compatible(std::string_view a, std::string_view b);

}  // namespace bzpeer::normalise
