// bzpeer — building blocks of the replay server's OAI-PMH 2.0 responses.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bzpeer::replay {

using Args = std::vector<std::pair<std::string, std::string>>;

/// Escapes &, <, > (and " in attribute values).
std::string xml_escape(std::string_view text, bool attribute = false);

/// "YYYY-MM-DDThh:mm:ssZ" for a UTC time point.
std::string utc_datetime(std::chrono::system_clock::time_point t);
/// The next UTC midnight after `t`, as "YYYY-MM-DDT00:00:00Z".
std::string next_utc_midnight(std::chrono::system_clock::time_point t);

/// A complete OAI-PMH response: declaration, root with namespaces, responseDate, the
/// <request> element (with `request_args` as attributes) and `body`.
std::string oai_envelope(std::string_view response_date, std::string_view base_url,
                         const Args& request_args, std::string_view body);

/// `<error code="CODE">message</error>`
std::string oai_error(std::string_view code, std::string_view message);

/// Percent-encoding of everything but unreserved characters (RFC 3986).
std::string percent_encode(std::string_view text);
/// Decodes %XX (and '+' as space when `plus_is_space`). Returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out, bool plus_is_space = true);
/// Splits "a=1&b=2" into decoded pairs, keeping order and repeats. False when malformed.
bool parse_query(std::string_view query, Args& out);

}  // namespace bzpeer::replay
