// bzpeer — reading and checking the HTTP API's query parameters. Every problem is an
// ErrorCode::invalid_argument (HTTP 400) whose message names the parameter, what was
// expected and what came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/server/api_handlers.hpp"

namespace bzpeer::server {

/// Longest accepted free-text parameter (q), in bytes.
inline constexpr std::size_t kMaxQueryBytes = 1024;
/// Longest accepted value of a short parameter (sort, year, a category, a topic).
inline constexpr std::size_t kMaxShortBytes = 100;

/// True when `text` is well-formed UTF-8 (JSON output must be).
[[nodiscard]] bool valid_utf8(std::string_view text);

/// The one value of `key` ("" when absent). Repeating it, exceeding `max_bytes` or
/// malformed UTF-8 is an error.
[[nodiscard]] Result<std::string> single_param(const Params& params, std::string_view key,
                                               std::size_t max_bytes);

/// An integer within [min, max]; `fallback` when absent.
[[nodiscard]] Result<std::int64_t> int_param(const Params& params, std::string_view key,
                                             std::int64_t min, std::int64_t max,
                                             std::int64_t fallback);

/// Every value of `key`, repeated or comma-separated, trimmed, empty ones dropped; each
/// made of letters, digits and `allowed` characters; at most `max_items`.
[[nodiscard]] Result<std::vector<std::string>> list_param(const Params& params,
                                                          std::string_view key,
                                                          std::string_view allowed,
                                                          std::size_t max_items);

/// Every value of `key` (repeated, not split at commas), trimmed, empty ones dropped;
/// each valid UTF-8 without control characters, at most kMaxShortBytes; at most
/// `max_items`. For free-text labels such as topics.
[[nodiscard]] Result<std::vector<std::string>> text_list_param(const Params& params,
                                                               std::string_view key,
                                                               std::size_t max_items);

/// "2011", "2010..2012", "2010.." or "..2012" -> [from, to] (open ends absent).
struct YearRange {
  std::optional<int> from, to;
};
[[nodiscard]] Result<YearRange> parse_year_param(std::string_view text);

}  // namespace bzpeer::server
