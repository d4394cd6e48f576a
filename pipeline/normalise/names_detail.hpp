// bzpeer — helpers shared by names.cpp and authors.cpp (internal header).
#pragma once

#include <string_view>

namespace bzpeer::normalise::names_detail {

/// "Jr", "Jr.", "Sr", "II", "III", "IV", "Jnr" (case-insensitive). Hyphenated words such
/// as "Jr-Shin" are given names, never suffixes.
[[nodiscard]] bool is_suffix(std::string_view word) noexcept;

}  // namespace bzpeer::normalise::names_detail
