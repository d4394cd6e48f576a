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
///
/// Details and deliberate differences from arXiv's parser:
/// - TeX uses name mode: glued macros such as `J\orgensen`, `Y\ild\iz`, `Lefran\ccois`
///   (real, malformed author strings) become Jørgensen, Yıldız, Lefrançois.
/// - Numbered references are resolved against the trailing list, in either the
///   `((1) A, (2) B)` form or the bare `(1 A; 2 B)` form; several affiliations of one
///   person are joined with "; ". Unresolvable numbers give no affiliation (never "1,2").
/// - Back-propagation runs over the names before an affiliated name that have no group of
///   their own ("A, B (X)" → both X), stops at collaborations, and happens only when the
///   last person in the list has a group (so a stray "(maiden name)" in the middle of a
///   long list does not spread). Groups such as "(Eds.)", "(\ast co-authors)" and nested
///   "((lab a), (lab b))" are ignored.
/// - Collaborations (see is_collaboration_name) get is_collaboration = true and their name
///   in both `printed` and `family`; "(the CDF Collaboration)" / "(for the X
///   Collaboration)" groups become a collaboration entry after the name they follow
///   ("for " / "on behalf of " / "and " are dropped, "the" is kept).
/// - "et al", "et al.", "others" entries are dropped; a trailing " et al." is cut off.
/// - Names are split by parse_person_name, except that a comma is always a separator
///   here (the "Family, Given" reading never applies to arXiv `authors`).
[[nodiscard]] std::vector<ParsedName> parse_arxiv_authors(std::string_view authors);

/// Splits "First Middle Last" (one name, no separators) into given/family/suffix with the
/// particle list van|der|de|la|von|del|della|da|mac|ter|dem|di|du|le.
///
/// Details:
/// - TeX is converted and whitespace collapsed first; `printed` keeps that text.
/// - Glued dotted initials are split: "J.P.Hague" → given "J. P.", family "Hague";
///   hyphenated initials stay together ("C.-P. Yuan" → given "C.-P.").
/// - Particles (case-insensitive) directly before the last word join the family name:
///   "John Von Neumann" → "Von Neumann", "Herbert Van de Sompel" → "Van de Sompel". The
///   given name always keeps one word, so "del Norte" → given "del", family "Norte".
/// - A trailing Jr/Jr./Sr/Sr./II/III/IV/Jnr becomes the suffix ("Jr-Shin" never does);
///   "I" and "V" are not treated as suffixes (too often initials).
/// - Leading titles (Dr, Prof, Mr, …) are dropped when two words remain after them.
/// - Words without a letter and footnote macros ("*", "1", "\ast") are dropped.
/// - With exactly one comma the string is read as "Family, Given" ("Wang, Shang-Yung",
///   "Miller, Steven J.") unless the part after the comma is a suffix ("Fred Bloggs, Jr").
/// - One word only (e.g. "Sudha") becomes the family name with an empty given name.
[[nodiscard]] ParsedName parse_person_name(std::string_view name);

/// True for collaboration/consortium names: any word "collaboration(s)", "consortium",
/// "collab", or a 2–6 word name ending in "team" or "group" ("the WISH Team").
[[nodiscard]] bool is_collaboration_name(std::string_view name);

/// The family name without leading particles, for a second blocking variant:
/// "van der Waals" → "Waals", "Di Francesco" → "Francesco". The last word is always kept.
[[nodiscard]] std::string strip_particles(std::string_view family);

/// The family part of a blocking key: folded, without leading particles ("de Oliveira" →
/// "oliveira", "van der Waals" → "waals"), and with German transliterations folded the way
/// the umlaut folds ("Mueller" → "muller" like "Müller", "Schroeder" → "schroder",
/// "Jaeger" → "jager"). Only "ae", "oe", "ue" between two consonants qualify, and not
/// after "q" or "y": Spanish "que", "Yuen", and word-final "Xue", "Yue", "Poe" keep it.
[[nodiscard]] std::string name_block_family(std::string_view family);

/// Blocking key for author disambiguation: name_block_family + " " + first initial of the
/// folded given name, e.g. "schonholz s" for both "Schoenholz" and "Schönholz". A mention
/// without a given name gives the family part alone. The store keeps these keys
/// (authorships.block_key, authors.block_key): a change here needs a store migration
/// step that recomputes them (index/store/schema.cpp).
[[nodiscard]] std::string name_block_key(std::string_view given, std::string_view family);

/// True when two given-name strings can belong to one person: "S. S." ~ "Samuel S." ~
/// "Samuel"; "Samuel S." vs "Samuel T." is false; "S." vs "T." is false.
[[nodiscard]] bool given_names_compatible(std::string_view a, std::string_view b);

}  // namespace bzpeer::normalise
