// bzpeer — the HTTP API's endpoints as plain functions: parameters in, a JSON response out.
// api_server.cpp does the HTTP side (routing, ETag, redirects, logging); these functions
// do not know about cpp-httplib.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"
#include "tools/server/reader_pool.hpp"

namespace bzpeer::server {

/// Query parameters as decoded by the HTTP layer (a key may repeat).
using Params = std::multimap<std::string, std::string>;

struct ApiResponse {
  int status = 200;
  std::string body;  ///< JSON (empty for redirects)
  std::string content_type = "application/json";
  std::string location;  ///< for 3xx: the path to go to (the caller appends the query)
};

/// {"error": {"code": CODE, "message": MESSAGE}} with `status`.
[[nodiscard]] ApiResponse error_response(int status, std::string_view code,
                                         std::string_view message);
/// The response for a query-layer error: invalid_argument 400, not_found 404, storage,
/// index and io 503, anything else 500.
[[nodiscard]] ApiResponse error_response(const Error& error);
/// 503 for a store or index that cannot be opened (none yet, or unreadable).
[[nodiscard]] ApiResponse unavailable(const Error& error);

/// Parses a path id: decimal digits, 1 to 2^63-1. ErrorCode::invalid_argument naming `what`.
[[nodiscard]] Result<std::int64_t> parse_id(std::string_view text, std::string_view what);

// --- endpoints (each leases its own readers; see api_server.hpp for the contract) -------
[[nodiscard]] ApiResponse api_search(ReaderPool::Lease& readers, const Params& params);
[[nodiscard]] ApiResponse api_work(ReaderPool::Lease& readers, std::string_view id);
[[nodiscard]] ApiResponse api_stats(ReaderPool::Lease& readers);
[[nodiscard]] ApiResponse api_healthz(ReaderPool::Lease& readers);

[[nodiscard]] ApiResponse api_find_authors(ReaderPool::Lease& readers, const Params& params);
/// `view` is "" (the profile), "collaborators" or "graph". A merged id gives 308 with
/// `location` set to the surviving id's address (same view).
[[nodiscard]] ApiResponse api_author(ReaderPool::Lease& readers, std::string_view id,
                                     std::string_view view, const Params& params);

}  // namespace bzpeer::server
