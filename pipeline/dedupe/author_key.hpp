// bzpeer — author family names for work matching.
//
// Work matching compares author lists by family name only: given names are too often
// abbreviated ("B. Abrahao" vs "Abrahao, Bruno"). These helpers turn the author fields
// of bibliographic exports into family names and family names into comparison keys.
// All functions are pure, thread-safe and never throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::dedupe {

/// Family names from one author field, in order. Understands the common export styles:
///
/// - BibTeX: "Zuber, J and Le Quintrec, M" → {"Zuber", "Le Quintrec"};
/// - semicolon lists: "B. Abrahao; P. Parigi" and "Clark, Justin; Barton, Belinda";
/// - comma lists of "Given Family": "Gottfried Vossen, Mathias Weske" (Leipzig DBLP/ACM);
/// - PubMed-style "Family Initials" glued together:
///   "Tan A.Schulze A.O'Donnell C. P." → {"Tan", "Schulze", "O'Donnell"};
/// - "Family Initials" pieces ("Li Z. M.") take the word before the initials.
///
/// "UNKNOWN", "Anonymous", "et al." and "others" are dropped. A piece without a
/// comma and without initials is read as "Given Family" (last word is the family name).
[[nodiscard]] std::vector<std::string> family_names(std::string_view author_field);

/// The comparison key of one family name: folded (accents, case), leading particles
/// dropped, spaces removed: "von Lilienfeld" → "lilienfeld", "Sberro-Soussan" →
/// "sberrosoussan", "O'Donnell" → "odonnell", "Müller" → "muller".
[[nodiscard]] std::string family_key(std::string_view family);

/// True when two family keys name the same person's family name: equal, one a prefix of
/// the other with at least 5 letters (a truncated export: "albarqo" vs "albarqouni"), or
/// one letter substituted or inserted in a name of at least 6 letters ("golding" vs
/// "goldring").
[[nodiscard]] bool family_keys_match(std::string_view a, std::string_view b);

}  // namespace bzpeer::dedupe
