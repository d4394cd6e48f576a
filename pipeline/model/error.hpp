// bzpeer — the one error type used across module edges.
//
// Functions that can fail return `Result<T>` (std::expected<T, Error>). Exceptions
// never cross a module boundary: each library catches what its dependencies throw
// (Xapian, SQLite wrappers, toml++) and turns it into an Error with a code and a
// message that names the record, file, key or URL at fault.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace bzpeer {

enum class ErrorCode {
  invalid_argument,  // a caller passed something malformed (query, id, date)
  config,            // configuration file problem (exit 78)
  io,                // filesystem: missing, read-only, full
  transport,         // network failure after retries (temporary: exit 75)
  http_temporary,    // 5xx / 429 still failing after retries (temporary: exit 75)
  http_permanent,    // 4xx that will not heal
  protocol,          // OAI-PMH error response or protocol violation
  parse,             // bytes that are not the expected XML/JSON
  mapping,           // a parsed record that cannot be mapped to the model
  storage,           // SQLite failure
  index,             // Xapian failure
  not_found,         // lookup by id or name found nothing
  locked,            // another process holds the storage lock
};

[[nodiscard]] constexpr std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::config: return "configuration error";
    case ErrorCode::io: return "i/o error";
    case ErrorCode::transport: return "transport error";
    case ErrorCode::http_temporary: return "temporary HTTP error";
    case ErrorCode::http_permanent: return "HTTP error";
    case ErrorCode::protocol: return "protocol error";
    case ErrorCode::parse: return "parse error";
    case ErrorCode::mapping: return "mapping error";
    case ErrorCode::storage: return "storage error";
    case ErrorCode::index: return "index error";
    case ErrorCode::not_found: return "not found";
    case ErrorCode::locked: return "locked";
  }
  return "error";
}

struct Error {
  ErrorCode code{};
  std::string message;

  [[nodiscard]] std::string describe() const {
    return std::string(to_string(code)) + ": " + message;
  }
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

}  // namespace bzpeer
