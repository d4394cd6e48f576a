// Test helpers: real servers on 127.0.0.1 that record when each request arrived.
//
// - LoopbackServer: a cpp-httplib server run on its own thread; register routes on
//   server() before start().
// - RawTcpServer: a bare TCP listener driven by a script, for what httplib cannot do on
//   purpose: accept and close without replying, send half a body, send hand-made gzip.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bzpeer::http::testing {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// One request as the server saw it.
struct Hit {
  SteadyClock::time_point at;
  std::chrono::system_clock::time_point wall;
  std::string path;
  std::string user_agent;
  std::string accept_encoding;
  std::string request;  // raw request head (RawTcpServer only)
};

/// Thread-safe list of hits; handlers call add() first thing.
class HitLog {
 public:
  /// Records a hit and returns its 0-based index.
  std::size_t add(Hit hit) {
    std::lock_guard lock(mutex_);
    hits_.push_back(std::move(hit));
    return hits_.size() - 1;
  }
  std::size_t add(const httplib::Request& req) {
    return add(Hit{SteadyClock::now(),
                   std::chrono::system_clock::now(),
                   req.path,
                   req.get_header_value("User-Agent"),
                   req.get_header_value("Accept-Encoding"),
                   {}});
  }
  [[nodiscard]] std::vector<Hit> hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
  }
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return hits_.size();
  }
  /// Time between the arrival of hit i-1 and hit i (microsecond precision, so a 299.6 ms
  /// gap is not rounded to 300 ms).
  [[nodiscard]] std::chrono::microseconds gap(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return std::chrono::duration_cast<std::chrono::microseconds>(hits_.at(i).at -
                                                                 hits_.at(i - 1).at);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Hit> hits_;
};

class LoopbackServer {
 public:
  LoopbackServer() = default;
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  httplib::Server& server() { return server_; }

  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; wait for it so the destructor joins.
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// Accepts connections one at a time; for the n-th connection (0-based) it reads the
/// request head, records it, then sends script(n) and closes. An empty reply means
/// "close without answering".
class RawTcpServer {
 public:
  explicit RawTcpServer(std::function<std::string(std::size_t)> script)
      : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket");
    const int on = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("bind/listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;
  ~RawTcpServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listen_fd_);
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  HitLog& log() { return log_; }

 private:
  void run() {
    for (std::size_t n = 0; !stopping_; ++n) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      timeval tv{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        const auto got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) break;
        head.append(buffer, static_cast<std::size_t>(got));
      }
      log_.add(Hit{SteadyClock::now(), std::chrono::system_clock::now(), {}, {}, {}, head});
      const std::string reply = script_(n);
      for (std::size_t sent = 0; sent < reply.size();) {
        const auto wrote = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
        if (wrote <= 0) break;
        sent += static_cast<std::size_t>(wrote);
      }
      ::close(fd);
    }
  }

  std::function<std::string(std::size_t)> script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  HitLog log_;
  std::thread thread_;
};

/// A complete HTTP/1.1 response that closes the connection.
inline std::string raw_response(const std::string& status_line, const std::string& body,
                                const std::string& extra_headers = {}) {
  return "HTTP/1.1 " + status_line + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace bzpeer::http::testing
