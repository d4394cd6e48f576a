// bzpeer — title normalisation and fingerprints for work deduplication.
//
// A title goes through the same steps whatever its source (arXiv TeX, Crossref JATS,
// BibTeX exports, Leipzig CSV), so that two spellings of one title give one key:
//
//   1. JATS/HTML tags are removed (`<jats:italic>`, `</sub>`, `<mml:math ...>`);
//   2. TeX accents and letters become Unicode (normalise::tex_to_unicode), `$` is dropped
//      (the maths is kept as text), formatting macros (`\emph`, `\mathrm`, `\textit`, …) are
//      dropped, other macro names are kept as words (`\alpha` → "alpha");
//   3. `&` becomes "and"; NFKD, combining marks removed, case folded (normalise::fold_key);
//   4. every code point that is not a letter or a digit becomes a space; spaces collapse.
//
// All functions are pure, thread-safe and never throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::dedupe {

/// Decodes HTML/XML character references: numeric (`&#237;`, `&#xE9;`) and the common
/// named ones (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` `&mdash;` `&ndash;`).
/// Unknown or malformed references stay as written. (ACM exports write "J&#225;J&#225;".)
[[nodiscard]] std::string decode_entities(std::string_view text);

/// Steps 1–4 above (entities are decoded first): "The {\"O}kologie of \emph{Data-Mining} &amp;
/// <i>XML</i>" → "the okologie of data mining and xml". Empty input gives "".
[[nodiscard]] std::string normalise_title(std::string_view title);

/// Content tokens of a normalised title: stop words ("the", "of", "and", "a", …) removed,
/// a light plural stem applied ("models" → "model", "studies" → "study"). Order kept.
/// Annotations that one source adds and another leaves out are dropped: "extended
/// abstract", "panel abstract", "panel session", "abstract only", a trailing "book review"
/// after at least two other tokens and a trailing "abstract" after at least three.
[[nodiscard]] std::vector<std::string> title_tokens(std::string_view normalised_title);

/// The exact-match key: content tokens joined by one space. Titles that differ only in
/// case, punctuation, TeX, markup, stop words or plural endings get the same fingerprint.
/// A title without content tokens gives "".
[[nodiscard]] std::string title_fingerprint(std::string_view title);

/// Numbers that identify a part or an edition: every token made of digits, and Roman
/// numerals ii–xx (and "i" right after "part"/"volume"), in order. "Part II" ≠ "Part III".
[[nodiscard]] std::vector<std::string> title_numbers(std::string_view normalised_title);

/// True for titles that name a kind of item rather than a work, which must never be
/// merged on title evidence alone: empty, "UNKNOWN", "Editorial", "Reply", "Erratum",
/// "Corrigendum", "Book review", "Introduction", "Preface", "Comment on …", "Reply to …",
/// "In this issue", "Letter to the editor", … and recurring columns of up to three content
/// tokens ending in "column", "message", "note(s)", "corner" or "news" ("Treasurer's
/// Message", "Book Review Column"). Takes a normalised title.
[[nodiscard]] bool is_generic_title(std::string_view normalised_title);

}  // namespace bzpeer::dedupe
