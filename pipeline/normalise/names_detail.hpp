// bzpeer — helpers shared by names.cpp and authors.cpp (internal header).
#pragma once

#include <string>
#include <string_view>

#include "pipeline/normalise/names.hpp"

namespace bzpeer::normalise::names_detail {

/// "Jr", "Jr.", "Sr", "II", "III", "IV", "Jnr" (case-insensitive). Hyphenated words such
/// as "Jr-Shin" are given names, never suffixes.
[[nodiscard]] bool is_suffix(std::string_view word) noexcept;

/// parse_person_name on text whose TeX is already converted and whitespace collapsed
/// (converting twice would touch math or macros kept verbatim by the first pass).
[[nodiscard]] ParsedName parse_plain_name(std::string text);

}  // namespace bzpeer::normalise::names_detail
