// Hostile HTTP clients against `bzpeer serve`: path traversal in ids and asset names,
// oversized request lines, headers and bodies, and clients that stall mid-request. Requests
// are sent as raw bytes on a socket, so that no client library cleans the path first.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/server/server_fixture.hpp"

namespace bzpeer::server::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// A connected loopback socket, closed on destruction.
class Socket {
 public:
  explicit Socket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] bool connected() const { return connected_; }

  /// Sends everything it can; a server that closes early makes it stop.
  void send_all(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  /// Reads until the server closes the connection or `limit` passes. Returns what came.
  /// With `head_only`, returns as soon as the response head (up to a blank line) is in.
  std::string read_until_closed(milliseconds limit, bool* closed = nullptr,
                                bool head_only = false) {
    std::string out;
    const auto deadline = steady_clock::now() + limit;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
      if (head_only && out.find("\r\n\r\n") != std::string::npos) break;
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

/// The status code of a raw HTTP response ("HTTP/1.1 404 Not Found" -> 404), or 0.
int status_of(const std::string& response) {
  if (!response.starts_with("HTTP/1.")) return 0;
  return std::stoi(response.substr(9, 3));
}

/// One raw request on a fresh connection (the server closes it: Connection: close).
std::string raw_get(int port, const std::string& target, const std::string& extra = "",
                    bool head_only = false) {
  Socket socket(port);
  EXPECT_TRUE(socket.connected());
  socket.send_all("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                  extra + "\r\n");
  return socket.read_until_closed(milliseconds(10000), nullptr, head_only);
}

class ServerHostileTest : public ServerTest {
 protected:
  static int port() {
    const std::string base = url("");
    return std::stoi(base.substr(base.rfind(':') + 1));
  }
};

TEST_F(ServerHostileTest, PathTraversalInIdsIsRejected) {
  for (const std::string target :
       {"/api/works/..%2F..%2Fetc%2Fpasswd", "/api/works/..%2f..%2f..%2fetc%2fpasswd",
        "/api/works/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/authors/..%2F..%2Fetc%2Fpasswd",
        "/api/authors/..%2F..%2Fetc%2Fpasswd/collaborators", "/api/works/../../etc/passwd",
        "/api/works/1%00", "/api/works/1;cat%20/etc/passwd", "/works/..%2F..%2Fetc%2Fpasswd",
        "/assets/..%2F..%2F..%2Fetc%2Fpasswd", "/assets/../../../../etc/passwd",
        "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"}) {
    const std::string response = raw_get(port(), target);
    const int status = status_of(response);
    EXPECT_TRUE(status == 400 || status == 404) << target << " -> " << status;
    EXPECT_EQ(response.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerHostileTest, WebRootNeverServesFilesOutsideIt) {
  TempDir outside("webroot");
  const auto root = outside.path() / "web";
  fs::create_directories(root);
  std::ofstream(root / "index.html") << "<html>page</html>";
  std::ofstream(root / "app.js") << "console.log(1)";
  std::ofstream(outside.path() / "secret.js") << "SECRET-CONTENT";
  ServerOptions options;
  options.storage_dir = outside.path();
  options.index_root = outside.path() / "index";
  options.port = 0;
  options.log_requests = false;
  options.web_root = root;
  ApiServer server(options);
  const int port = server.start();
  ASSERT_GT(port, 0);
  EXPECT_EQ(status_of(raw_get(port, "/assets/app.js")), 200);  // the control
  for (const std::string& target : std::vector<std::string>{
           "/assets/..%2Fsecret.js", "/assets/../secret.js", "/assets/%2e%2e%2fsecret.js",
           "/assets/..%5csecret.js", "/assets/" + (outside.path() / "secret.js").string()}) {
    const std::string response = raw_get(port, target);
    EXPECT_NE(status_of(response), 200) << target;
    EXPECT_EQ(response.find("SECRET-CONTENT"), std::string::npos) << target;
  }
}

TEST_F(ServerHostileTest, OversizedRequestsAreRefusedAndTheServerGoesOn) {
  // A 100 KB request line, a 100 KB header, and a 1 MB body on a GET (limit 64 KB).
  const std::string long_target = "/api/search?q=" + std::string(100 * 1024, 'a');
  EXPECT_GE(status_of(raw_get(port(), long_target, "", true)), 400);
  const std::string header = "X-Junk: " + std::string(100 * 1024, 'b') + "\r\n";
  const int header_status = status_of(raw_get(port(), "/healthz", header, true));
  EXPECT_TRUE(header_status == 0 || header_status >= 400) << header_status;
  {
    // A body over the 64 KB request limit is refused before it is read...
    Socket socket(port());
    ASSERT_TRUE(socket.connected());
    socket.send_all(
        "POST /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Length: 1048576\r\n\r\n" +
        std::string(1 << 20, 'c'));
    EXPECT_EQ(status_of(socket.read_until_closed(milliseconds(10000), nullptr, true)), 413);
  }
  {
    // ...and a GET's body is never read at all (GETs have no use for one).
    Socket socket(port());
    ASSERT_TRUE(socket.connected());
    socket.send_all(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Length: 1048576\r\n\r\n" +
        std::string(1 << 20, 'c'));
    EXPECT_EQ(status_of(socket.read_until_closed(milliseconds(10000), nullptr, true)), 200);
  }
  // Many headers: each small, together far beyond any real request.
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  const int many_status = status_of(raw_get(port(), "/healthz", many, true));
  EXPECT_TRUE(many_status == 0 || many_status == 200 || many_status >= 400) << many_status;
  // None of that hurt the server.
  EXPECT_EQ(status_of(raw_get(port(), "/healthz")), 200);
}

TEST_F(ServerHostileTest, StalledClientsAreCutOffAfterTheTimeout) {
  ServerOptions options;
  options.storage_dir = dir_->path();
  options.index_root = dir_->path() / "index";
  options.port = 0;
  options.log_requests = false;
  options.threads = 2;
  options.io_timeout_s = 1;
  ApiServer server(options);
  const int port = server.start();
  ASSERT_GT(port, 0);
  // Two clients each hold a worker with half a request (both workers of the pool)...
  Socket slow1(port), slow2(port);
  slow1.send_all("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  slow2.send_all("GET /api/sta");
  const auto start = steady_clock::now();
  bool closed1 = false, closed2 = false;
  slow1.read_until_closed(milliseconds(8000), &closed1);
  slow2.read_until_closed(milliseconds(8000), &closed2);
  // ...and are disconnected by the server before the 8 s the test waits: cpp-httplib waits
  // up to the keep-alive timeout (1 s) for a request to start, then io_timeout_s (1 s) for
  // the rest of it. (With the defaults, 1 s + 10 s.)
  EXPECT_TRUE(closed1);
  EXPECT_TRUE(closed2);
  RecordProperty(
      "stalled_ms",
      static_cast<int>(
          std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count()));
  // The workers are free again.
  EXPECT_EQ(status_of(raw_get(port, "/healthz")), 200);
}

}  // namespace
}  // namespace bzpeer::server::testing
