// bzpeer — Unicode text helpers (utf8proc).
#pragma once

#include <string>
#include <string_view>

namespace bzpeer::normalise {

/// Collapses runs of whitespace (incl. line breaks) to one space and trims both ends.
[[nodiscard]] std::string collapse_whitespace(std::string_view text);

/// Unicode NFC. Invalid UTF-8 sequences are replaced by U+FFFD rather than rejected.
[[nodiscard]] std::string nfc(std::string_view text);

/// A matching key: NFKD, combining marks dropped, case-folded, ø→o ł→l ß→ss æ→ae œ→oe
/// đ→d, hyphens, apostrophes and dots become spaces, whitespace collapsed.
/// "Shang-Yung" and "Shang Yung" give the same key; "Schönholz" gives "schonholz".
[[nodiscard]] std::string fold_key(std::string_view text);

/// The metadata clean-up applied to titles and abstracts: TeX outside math to Unicode,
/// whitespace collapsed, NFC.
[[nodiscard]] std::string clean_text(std::string_view text);

}  // namespace bzpeer::normalise
