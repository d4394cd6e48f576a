// bzpeer — helpers shared by the JSON and Atom payload mappers (internal to parse/).
//
// JSON is read with simdjson On-Demand: each mapper walks an object's fields once, in
// document order, dispatching on the key. Values are consumed at most once; anything a
// mapper does not read is skipped by simdjson. Parsers are thread_local because mappers
// run in parallel on oneTBB worker threads.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace bzpeer::parse::detail {

namespace od = simdjson::ondemand;

/// The calling thread's On-Demand parser.
[[nodiscard]] od::parser& thread_parser();

/// True when `value` is of `type` (peeks; consumes nothing).
[[nodiscard]] inline bool is_type(od::value& value, od::json_type type) {
  od::json_type t;
  return value.type().get(t) == simdjson::SUCCESS && t == type;
}

/// A string value as std::string; "" for null or any other type.
[[nodiscard]] std::string string_of(od::value value);

/// The first string of an array of strings (Crossref's title: ["…"]), or the string
/// itself; "" when there is none.
[[nodiscard]] std::string first_string(od::value value);

/// Removes JATS/HTML/MathML tags and decodes XML entities: `<jats:p>`, `<jats:italic>`,
/// `&amp;`, `&#x2013;`. Block elements (p, title, sec, list-item, break) become a space;
/// a leading section title "Abstract"/"Summary" is dropped. Whitespace is left to the
/// caller (clean_text collapses it).
[[nodiscard]] std::string strip_markup(std::string_view text);

/// Undoes UTF-8 that was decoded as Latin-1 and encoded again ("WÃ¼bben" -> "Wübben"),
/// as clients that trust the missing charset of arXiv's API responses store it (the
/// recorded arxiv.py feeds show it). Only when every code point is <= U+00FF and the
/// Latin-1 bytes form valid UTF-8 with a multi-byte sequence; anything else is returned
/// unchanged, so correct text is never touched.
[[nodiscard]] std::string repair_mojibake(std::string_view text);

/// "2016-08-18" from date-parts [2016, 8, 18]; "2016-08" / "2016" for partial dates;
/// "" when the year is missing or null.
[[nodiscard]] std::string date_from_parts(int year, int month, int day);

/// Limits on one JSON record, far above any real one: the largest OpenAlex works (thousands
/// of authorships with institutions) are a few MB, and records nest fewer than 10 levels.
inline constexpr std::size_t kMaxJsonRecordBytes = std::size_t{32} << 20;
inline constexpr int kMaxJsonNesting = 64;

/// A mapping error naming `what` when `payload` is bigger than kMaxJsonRecordBytes or
/// nests arrays and objects deeper than kMaxJsonNesting (brackets inside strings do not
/// count), else nullopt. One linear pass; run it before handing a record to simdjson.
[[nodiscard]] std::optional<Error> check_json_limits(std::string_view what,
                                                     std::string_view payload);

/// Prefixes a mapping error with the record it concerns.
[[nodiscard]] inline Error mapping_error(std::string_view what, std::string message) {
  return Error{ErrorCode::mapping, std::string(what) + ": " + std::move(message)};
}

}  // namespace bzpeer::parse::detail
