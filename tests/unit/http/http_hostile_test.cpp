// Hostile servers for HttpClient: bodies over the size cap (declared or chunked without end)
// are refused at once, without retrying and without reading on.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "connectors/http/http_client.hpp"
#include "loopback.hpp"

namespace bzpeer::http {
namespace {

using std::chrono::milliseconds;
using testing::HitLog;
using testing::LoopbackServer;

ClientOptions capped(std::size_t max_body) {
  ClientOptions options;
  options.retry.max_attempts = 3;
  options.retry.initial_backoff = milliseconds(10);
  options.retry.jitter = 0.0;
  options.timeout = milliseconds(10000);
  options.gates = std::make_shared<HostGates>();
  options.max_body_bytes = max_body;
  return options;
}

void expect_refused(const Result<Response>& response, std::size_t cap) {
  ASSERT_FALSE(response) << response->body.size() << " bytes accepted";
  EXPECT_EQ(response.error().code, ErrorCode::http_permanent);
  EXPECT_NE(response.error().message.find("response body larger than the limit of " +
                                          std::to_string(cap) + " bytes"),
            std::string::npos)
      << response.error().message;
}

TEST(HttpHostile, BodyUpToTheCapIsAcceptedOneByteMoreIsRefused) {
  LoopbackServer server;
  HitLog log;
  server.server().Get(R"(/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content(std::string(std::stoul(req.matches[1]), 'x'), "application/octet-stream");
  });
  server.start();
  HttpClient client(capped(1000));
  const auto exact = client.get(server.url("/1000"));
  ASSERT_TRUE(exact) << exact.error().describe();
  EXPECT_EQ(exact->body.size(), 1000u);
  expect_refused(client.get(server.url("/1001")), 1000);
  EXPECT_EQ(log.size(), 2u);  // the refused body was asked for once, never retried
}

TEST(HttpHostile, DeclaredOversizedBodyIsRefusedWithoutRetrying) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/huge", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content(std::string(8u << 20, '<'), "application/octet-stream");
  });
  server.start();
  HttpClient client(capped(1u << 20));
  expect_refused(client.get(server.url("/huge")), 1u << 20);
  EXPECT_EQ(log.size(), 1u);
}

TEST(HttpHostile, EndlessChunkedBodyIsCutOffAtTheCap) {
  // No Content-Length: the server would stream 1 GB; the client stops after 1 MB.
  LoopbackServer server;
  HitLog log;
  auto sent = std::make_shared<std::atomic<std::size_t>>(0);
  server.server().Get("/stream", [&, sent](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_chunked_content_provider("text/xml", [sent](std::size_t, httplib::DataSink& sink) {
      static const std::string chunk(64 * 1024, 'a');
      if (*sent >= (1u << 30) || !sink.write(chunk.data(), chunk.size())) return false;
      *sent += chunk.size();
      return true;
    });
  });
  server.start();
  HttpClient client(capped(1u << 20));
  expect_refused(client.get(server.url("/stream")), 1u << 20);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_LT(sent->load(), std::size_t{64} << 20);  // the server was stopped early
}

}  // namespace
}  // namespace bzpeer::http
