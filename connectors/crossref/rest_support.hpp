// bzpeer — small helpers shared by the JSON/Atom REST connectors (Crossref, OpenAlex,
// arXiv Atom): query strings, the server's date, cheap body checks for the HTTP client.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/http/http_client.hpp"

namespace bzpeer::rest {

/// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~),
/// so cursors with `+`, `/` and `=` survive the trip.
[[nodiscard]] std::string url_encode(std::string_view text);

/// `base` with the non-empty parameters appended as a query string (values encoded);
/// `base` may already carry a query string.
[[nodiscard]] std::string with_query(
    std::string base, const std::vector<std::pair<std::string, std::string>>& params);

/// The server's date (YYYY-MM-DD) from the response's Date header, else today in UTC.
/// Used as `complete_until` of an open-ended window.
[[nodiscard]] std::string server_date(const http::Response& response);

/// True when `body` is one complete JSON document (the validate_body for JSON APIs: a
/// truncated page is retried instead of failing the run).
[[nodiscard]] bool is_json_document(const std::string& body) noexcept;

/// At most `max` bytes of `body` on one line, for error messages.
[[nodiscard]] std::string excerpt(std::string_view body, std::size_t max = 200);

}  // namespace bzpeer::rest
