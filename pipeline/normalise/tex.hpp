// bzpeer — TeX to Unicode for metadata text (arXiv metadata is ASCII + TeX by policy).
#pragma once

#include <string>
#include <string_view>

namespace bzpeer::normalise {

/// Converts TeX accent and letter macros to Unicode outside math, NFC-normalised.
///
/// - Accent macros \' \` \^ \" \~ \= \. \u \v \H \c \k \r \d \b \t, braced and
///   unbraced (`\'e`, `\'{e}`, `{\'e}`, `{\"o}`, `\v{c}`), with grouping braces
///   around the result removed.
/// - Letter macros \ss \o \O \l \L \aa \AA \ae \AE \oe \OE \i \j \DJ \dj.
/// - Escapes \& \% \$ \_ \# become the character; `~` becomes a space; `--` and
///   `---` become en and em dashes.
/// - Text inside `$...$`, `$$...$$`, `\(...\)` and `\[...\]` is kept exactly as written.
/// - A doubled backslash directly before a known accent or letter macro is read as one
///   (`Fr\\'ed\\'eric` → Frédéric, `S{\\o}ren` → Søren), and so is `\\\"` (an escaped
///   quote after it: `Sch\\\"urmann` → Schürmann): database exports of arXiv
///   metadata (e.g. the arXiv/oaipmh test DB behind tests/fixtures/oai/arxivraw-sample)
///   escape backslashes. `\\` before anything else stays a TeX line break, as written.
/// - Outside math, `~` after `/` or `:` is kept (URLs such as `http://x.org/~user`).
/// - Invalid UTF-8 becomes U+FFFD in converted text (math spans are copied as bytes).
/// - Unknown macros are kept as written, and so are braces that do not hold only known
///   macros and letters (`{\it et al.}`, `\emph{...}`, BibTeX `{ABC}`).
///   Unbraced letter macros must end the control word: `J\orgensen` is the unknown macro
///   `\orgensen` and is kept (write `J{\o}rgensen` or `J\o rgensen`).
/// - Never throws; any input is accepted. Linear time in the input length.
/// Thread-safe (pure function).
[[nodiscard]] std::string tex_to_unicode(std::string_view text);

}  // namespace bzpeer::normalise
