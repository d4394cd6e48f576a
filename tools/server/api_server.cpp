// bzpeer — ApiServer: routing, caching headers, redirects, the page and request logging.
#include "tools/server/api_server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "index/queries/queries.hpp"
#include "tools/httplib_encoding.hpp"
#include "tools/server/api_handlers.hpp"
#include "tools/server/metrics.hpp"
#include "tools/server/web_assets.hpp"

namespace bzpeer::server {
namespace {

constexpr std::string_view kPageFile = "index.html";
/// The page itself and everything it loads come from this server only.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A weak ETag: 64-bit FNV-1a of the body, in hex. Weak because cpp-httplib may compress
/// the body afterwards (gzip when the client accepts it), so the bytes on the wire differ
/// by encoding while the content is the same.
std::string etag_of(std::string_view body) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "W/\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

/// If-None-Match holds "*" or a comma-separated list of (possibly weak) tags.
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag.substr(2)) return true;  // weak comparison (RFC 9110 8.8.3.2)
  }
  return false;
}

std::string query_suffix(const httplib::Request& req) {
  const auto q = req.target.find('?');
  return q == std::string::npos ? "" : req.target.substr(q);
}

void set_body(httplib::Response& res, ApiResponse r) {
  res.set_header("Content-Type", r.content_type);
  res.body = std::move(r.body);
}

/// Per worker thread, for the request being answered: when routing began (unset for a
/// request that never reached routing, e.g. a bad request line), the route that took it
/// (RequestMetrics numbering) and, once answered, how long it took.
thread_local std::optional<std::chrono::steady_clock::time_point> request_started;
thread_local std::size_t request_route = RequestMetrics::other();
thread_local double request_ms = 0;

}  // namespace

struct ApiServer::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)), pool(options.storage_dir, options.index_root) {}

  ServerOptions options;
  ReaderPool pool;
  RequestMetrics metrics;
  httplib::Server http;
  std::thread thread;
  std::atomic<int> port{-1};
  int listen_fd = -1;    // the listening socket, to widen its backlog after bind
  std::mutex lifecycle;  // start() and stop()
  bool started = false;
  bool routed = false;  // routes() ran (once per server)

  /// Writes `r` with its caching headers; answers 304 when If-None-Match matches.
  void send(const httplib::Request& req, httplib::Response& res, ApiResponse r,
            const std::string& cache_control) const {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Vary", "Accept-Encoding");
    res.status = r.status;
    if (r.status >= 300 && r.status < 400) {
      res.set_header("Location", r.location + query_suffix(req));
      res.set_header("Cache-Control", cache_control);
      return;
    }
    if (r.status != 200) {
      res.set_header("Cache-Control", "no-store");
      set_body(res, std::move(r));
      return;
    }
    const std::string etag = etag_of(r.body);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", cache_control);
    if (req.has_header("If-None-Match") &&
        etag_matches(req.get_header_value("If-None-Match"), etag)) {
      res.status = 304;
      return;
    }
    set_body(res, std::move(r));
  }

  [[nodiscard]] std::string api_cache() const {
    return "public, max-age=" + std::to_string(options.cache_max_age_s);
  }

  /// An asset by file name: from web_root when set, else from the binary.
  [[nodiscard]] std::optional<ApiResponse> asset(std::string_view name) const {
    ApiResponse r;
    r.content_type = std::string(content_type_for(name));
    if (options.web_root) {
      const auto path = *options.web_root / std::string(name);
      std::ifstream in(path, std::ios::binary);
      if (!in || !std::filesystem::is_regular_file(path)) return std::nullopt;
      std::ostringstream bytes;
      bytes << in.rdbuf();
      r.body = bytes.str();
      return r;
    }
    for (const auto& a : embedded_web_assets()) {
      if (a.name == name) {
        r.body = std::string(a.bytes);
        return r;
      }
    }
    return std::nullopt;
  }

  void page(const httplib::Request& req, httplib::Response& res) const {
    auto html = asset(kPageFile);
    if (!html) {
      send(req, res, error_response(500, "internal", "the page (index.html) is missing"), "");
      return;
    }
    res.set_header("Content-Security-Policy", kPagePolicy);
    res.set_header("Referrer-Policy", "no-referrer");
    send(req, res, std::move(*html), "no-cache");
  }

  /// Registers a GET route whose requests are counted under `label` in /metrics.
  void get(const std::string& pattern, std::string_view label, httplib::Server::Handler handler) {
    const std::size_t route = metrics.add_route(label);
    http.Get(pattern, [route, handler = std::move(handler)](const httplib::Request& req,
                                                            httplib::Response& res) {
      request_route = route;
      handler(req, res);
    });
  }

  void routes();
};

void ApiServer::Impl::routes() {
  auto api = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      auto lease = pool.acquire();
      send(req, res, handler(req, lease), api_cache());
    };
  };
  get("/healthz", "/healthz", [this](const httplib::Request& req, httplib::Response& res) {
    auto lease = pool.acquire();
    send(req, res, api_healthz(lease), "no-store");
  });
  get("/api/stats", "/api/stats",
      api([](const httplib::Request&, ReaderPool::Lease& l) { return api_stats(l); }));
  get("/api/search", "/api/search", api([](const httplib::Request& req, ReaderPool::Lease& l) {
        return api_search(l, req.params);
      }));
  get(R"(/api/works/([^/]+))", "/api/works/{id}",
      api([](const httplib::Request& req, ReaderPool::Lease& l) {
        return api_work(l, req.matches[1].str());
      }));
  get("/api/authors", "/api/authors", api([](const httplib::Request& req, ReaderPool::Lease& l) {
        return api_find_authors(l, req.params);
      }));
  get(R"(/api/authors/([^/]+))", "/api/authors/{id}",
      api([](const httplib::Request& req, ReaderPool::Lease& l) {
        return api_author(l, req.matches[1].str(), "", req.params);
      }));
  for (const std::string view : {"collaborators", "graph"}) {
    get(R"(/api/authors/([^/]+)/)" + view, "/api/authors/{id}/" + view,
        api([view](const httplib::Request& req, ReaderPool::Lease& l) {
          return api_author(l, req.matches[1].str(), view, req.params);
        }));
  }
  get(R"(/api/.*)", "/api/*", [this](const httplib::Request& req, httplib::Response& res) {
    send(req, res, error_response(404, "not_found", "no such endpoint: " + req.path), "");
  });

  // The page: one HTML shell for every address; its script reads the path.
  auto shell = [this](const httplib::Request& req, httplib::Response& res) { page(req, res); };
  get("/metrics", "/metrics", [this](const httplib::Request&, httplib::Response& res) {
    auto lease = pool.acquire();
    res.set_header("Cache-Control", "no-store");
    res.set_content(render_metrics(metrics, lease, options.index_root),
                    std::string(kMetricsContentType));
  });
  get("/", "page", shell);
  get("/search", "page", shell);
  get(R"(/works/(\d+))", "page", shell);
  get(R"(/authors/(\d+))", "page", [this](const httplib::Request& req, httplib::Response& res) {
    // A merged id moves to the surviving profile's address, like the API does.
    auto id = parse_id(req.matches[1].str(), "author");
    auto lease = pool.acquire();
    if (auto store = lease.store(); id && store) {
      if (auto ref = queries::resolve_author(**store, std::to_string(*id));
          ref && ref->author_id != *id) {
        ApiResponse r;
        r.status = 308;
        r.location = "/authors/" + std::to_string(ref->author_id);
        send(req, res, std::move(r), api_cache());
        return;
      }
    }
    page(req, res);
  });
  get(R"(/assets/([A-Za-z0-9_-]+\.[a-z]+))", "/assets/{name}",
      [this](const httplib::Request& req, httplib::Response& res) {
        auto a = asset(req.matches[1].str());
        if (!a || req.matches[1].str() == kPageFile) {
          send(req, res, error_response(404, "not_found", "no such asset: " + req.path), "");
          return;
        }
        send(req, res, std::move(*a), "public, max-age=300");
      });

  // Anything httplib answers by itself with an error (unknown path, bad request line)
  // gets the same JSON error shape.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        auto r = res.status == 404 ? error_response(404, "not_found", "no such page: " + req.path)
                                   : error_response(res.status, "bad_request",
                                                    "the request could not be handled (HTTP " +
                                                        std::to_string(res.status) + ")");
        res.set_header("Cache-Control", "no-store");
        res.set_content(r.body, r.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: {}", req.method, req.path, what);
        auto r = error_response(500, "internal", "internal error while answering " + req.path);
        res.status = 500;
        res.set_header("Cache-Control", "no-store");
        res.set_content(r.body, r.content_type);
      });
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    bzpeer::http::drop_brotli(req);
    request_started = std::chrono::steady_clock::now();
    request_route = RequestMetrics::other();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Runs once per answer, after the error handler and before the answer is written, so a
  // request is counted before its client can see the reply.
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    double seconds = -1;
    if (request_started) {
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - *request_started)
                    .count();
    }
    metrics.observe(request_started ? request_route : RequestMetrics::other(), res.status, seconds);
    request_ms = seconds < 0 ? 0 : seconds * 1000;
    request_started.reset();
    request_route = RequestMetrics::other();
  });
  if (options.log_requests) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {} {} {}B {:.1f}ms", req.remote_addr, req.method, req.target, res.status,
                   res.body.size(), request_ms);
    });
  }
}

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

ApiServer::~ApiServer() {
  stop();
}

int ApiServer::start() {
  auto& s = *impl_;
  std::lock_guard lock(s.lifecycle);
  if (s.started) return s.port.load();
  const int threads = std::max(1, s.options.threads);
  s.http.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  // Only GETs are served: a small request limit, and short timeouts so a stalled client
  // cannot hold a worker for long.
  s.http.set_payload_max_length(64 * 1024);
  s.http.set_read_timeout(s.options.io_timeout_s, 0);
  s.http.set_write_timeout(s.options.io_timeout_s, 0);
  // cpp-httplib holds a worker per open connection: idle keep-alive connections (a browser
  // keeps several) must not starve other clients for long, hence a short wait and many
  // (mostly idle) workers.
  s.http.set_keep_alive_timeout(1);
  if (!s.routed) s.routes();
  s.routed = true;
  // SO_REUSEADDR only: restarting over connections in TIME_WAIT works, but unlike
  // cpp-httplib's default (SO_REUSEPORT) a second server cannot bind the same port and
  // silently share its connections.
  s.http.set_socket_options([&s](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    s.listen_fd = sock;
  });

  int bound = -1;
  if (s.options.port == 0) {
    bound = s.http.bind_to_any_port(s.options.host);
  } else if (s.http.bind_to_port(s.options.host, s.options.port)) {
    bound = s.options.port;
  }
  if (bound <= 0) {
    spdlog::error("cannot listen on {}:{}", s.options.host, s.options.port);
    return -1;
  }
  // cpp-httplib 0.11 listens with a backlog of 5: a burst of new connections overflows
  // it and the kernel drops SYNs, which clients retry only after a second. Listening
  // again on the bound socket just widens the queue.
  if (s.listen_fd >= 0) ::listen(s.listen_fd, SOMAXCONN);
  s.port = bound;
  s.thread = std::thread([&s] { s.http.listen_after_bind(); });
  s.started = true;
  return bound;
}

void ApiServer::stop() {
  auto& s = *impl_;
  std::lock_guard lock(s.lifecycle);
  if (!s.started) return;
  s.http.stop();
  if (s.thread.joinable()) s.thread.join();
  s.started = false;
}

int ApiServer::port() const {
  return impl_->port.load();
}

std::string_view content_type_for(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "json") return "application/json";
  return "text/plain; charset=utf-8";
}

}  // namespace bzpeer::server
