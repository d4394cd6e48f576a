// bzpeer — the HTTP JSON API and the web page (cpp-httplib), for `bzpeer serve`.
//
// Endpoints (all GET; documented with examples in README.md, "HTTP API"):
//   /api/search?q=&sort=&year=&category=&topic=&page=&size=
//   /api/works/{id}                 a work, its authors (with ids) and related works
//   /api/authors?q=                 author search by name
//   /api/authors/{id}               the profile
//   /api/authors/{id}/collaborators
//   /api/authors/{id}/graph         nodes and edges around the author
//   /api/stats   /healthz
//   /metrics                        Prometheus text format (metrics.hpp)
//   /  /search  /authors/{id}  /works/{id}    the web page (one HTML shell + assets)
//
// Responses are JSON (UTF-8). Errors are {"error": {"code", "message"}} with status 400
// (malformed query or parameter), 404 (unknown id or path), 503 (no store or no index
// yet). A deleted work still answers, flagged "deleted". A merged author id answers 308
// with the surviving id's address. Every 200 carries a weak ETag (a hash of the body) and
// Cache-Control; a matching If-None-Match gets 304.
//
// Reading only: the server opens the store read-only and the index as a reader and never
// takes the storage lock, so harvests and rebuilds can run beside it. SQLite connections
// and Xapian readers are not thread-safe: each request leases a private pair from a pool;
// the index reader moves to a new build by itself after a rebuild.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace bzpeer::server {

struct ServerOptions {
  std::filesystem::path storage_dir;  ///< holds store.sqlite
  std::filesystem::path index_root;   ///< usually storage_dir / "index"
  std::string host = "127.0.0.1";     ///< loopback unless told otherwise
  int port = 8080;                    ///< 0 = any free port (see ApiServer::port())
  /// Serve the page's assets from this directory instead of the copies built into the
  /// binary (for working on the page without rebuilding).
  std::optional<std::filesystem::path> web_root;
  int threads = 32;          ///< worker threads answering requests (one per open connection)
  bool log_requests = true;  ///< one spdlog info line per request
  int cache_max_age_s = 60;  ///< Cache-Control max-age of API answers
  int io_timeout_s = 10;     ///< a client that stalls this long mid-request is cut off
};

class ApiServer {
 public:
  explicit ApiServer(ServerOptions options);
  ~ApiServer();  ///< stops the server
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  /// Binds and starts answering on a background thread. Returns the bound port, or -1
  /// when the address cannot be bound (logged). A missing store or index is no error
  /// here: those endpoints answer 503 until it appears.
  int start();
  /// Stops listening and waits for the background thread. Idempotent.
  void stop();
  [[nodiscard]] int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::server
