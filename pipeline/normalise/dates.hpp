// bzpeer — dates as sources print them, to ISO 8601.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bzpeer::normalise {

/// "Tue, 3 Apr 2007 22:04:11 GMT" (RFC 822/1123, as arXivRaw prints version dates)
/// → "2007-04-03T22:04:11Z". Returns nullopt when it cannot be parsed.
[[nodiscard]] std::optional<std::string> rfc822_to_iso(std::string_view text);

/// Accepts "YYYY", "YYYY-MM", "YYYY-MM-DD" and "YYYY-MM-DDThh:mm:ssZ"; returns it
/// unchanged when valid (month 1–12, day valid for the month), else nullopt.
[[nodiscard]] std::optional<std::string> validate_iso_date(std::string_view text);

/// The year of an ISO date, or 0.
[[nodiscard]] int year_of(std::string_view iso_date) noexcept;

}  // namespace bzpeer::normalise
