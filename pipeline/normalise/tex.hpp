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
/// - Unknown macros are kept as written. Never throws; any input is accepted.
/// Thread-safe (pure function).
[[nodiscard]] std::string tex_to_unicode(std::string_view text);

}  // namespace bzpeer::normalise
