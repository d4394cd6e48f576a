// HttpClient against real loopback servers: retries, Retry-After, politeness and timing.
// Timing is asserted on timestamps the server records when each request arrives.
#include "connectors/http/http_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "loopback.hpp"

namespace bzpeer::http {
namespace {

using std::chrono::milliseconds;
using testing::HitLog;
using testing::LoopbackServer;
using testing::raw_response;
using testing::RawTcpServer;

// Small, deterministic backoff so the suite stays fast: 50 ms, 100 ms, 200 ms, ...
ClientOptions fast_options() {
  ClientOptions options;
  options.user_agent = "bzpeer-test/1.0 (+mailto:test@example.org)";
  options.retry.max_attempts = 4;
  options.retry.initial_backoff = milliseconds(50);
  options.retry.max_backoff = milliseconds(2000);
  options.retry.jitter = 0.0;
  options.connect_timeout = milliseconds(2000);
  options.timeout = milliseconds(5000);
  // Each test gets its own gates: every server here is on 127.0.0.1.
  options.gates = std::make_shared<HostGates>();
  return options;
}

// min_interval spaces the moments requests are *sent*; the server stamps them when its
// handler runs, which on a fresh connection (accept, thread-pool hand-off) can be some ms
// later than on a kept-alive one, more so under ASan on a busy 2-core machine (seen: 7 ms).
// HostGates' own test checks the client-side spacing exactly. Retry-After and backoff gaps
// need no slack: they are counted from the response, which the server sends after
// stamping the request.
constexpr auto kServerDispatchSlack = milliseconds(15);

std::string http_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

TEST(HttpClient, ReturnsBodyHeadersAndSendsUserAgent) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/ok", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_header("X-Custom-Header", "Value");
    res.set_content("hello", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/ok"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(response->headers["x-custom-header"], "Value");
  EXPECT_EQ(response->effective_url, server.url("/ok"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.hits()[0].user_agent, "bzpeer-test/1.0 (+mailto:test@example.org)");
}

TEST(HttpClient, SendsExtraHeaders) {
  LoopbackServer server;
  std::string token;
  server.server().Get("/t", [&](const httplib::Request& req, httplib::Response& res) {
    token = req.get_header_value("X-Api-Token");
    res.set_content("ok", "text/plain");
  });
  server.start();
  auto options = fast_options();
  options.extra_headers["X-Api-Token"] = "s3cret";
  HttpClient client(options);
  ASSERT_TRUE(client.get(server.url("/t")));
  EXPECT_EQ(token, "s3cret");
}

TEST(HttpClient, HonoursRetryAfterSecondsOn503) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/busy", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/busy"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->attempts, 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(1000));  // not the 50 ms backoff
  EXPECT_LT(log.gap(1), milliseconds(2500));
}

TEST(HttpClient, HonoursRetryAfterSecondsOn429) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/slow-down", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/slow-down"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->attempts, 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(1000));
  EXPECT_LT(log.gap(1), milliseconds(2500));
}

TEST(HttpClient, HonoursRetryAfterHttpDate) {
  LoopbackServer server;
  HitLog log;
  std::chrono::system_clock::time_point not_before;
  server.server().Get("/dated", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      // Whole seconds, as HTTP-dates are: somewhere 1-2 s from now.
      not_before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                   std::chrono::seconds(2);
      res.status = 503;
      res.set_header("Retry-After", http_date(not_before));
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/dated"));
  ASSERT_TRUE(response) << response.error().describe();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.hits()[1].wall, not_before);
  EXPECT_GE(log.gap(1), milliseconds(900));
}

TEST(HttpClient, RetryAfterZeroStillBacksOff) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/now", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 503;
      res.set_header("Retry-After", "0");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();
  HttpClient client(fast_options());
  auto response = client.get(server.url("/now"));
  ASSERT_TRUE(response) << response.error().describe();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(50));  // initial_backoff, not a rapid-fire retry
}

TEST(HttpClient, CapsRetryAfterAtMaxBackoff) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/long", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 503;
      res.set_header("Retry-After", "30");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();

  auto options = fast_options();
  options.retry.max_backoff = milliseconds(300);
  HttpClient client(options);
  auto response = client.get(server.url("/long"));
  ASSERT_TRUE(response) << response.error().describe();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(300));
  EXPECT_LT(log.gap(1), milliseconds(2000));
}

TEST(HttpClient, RetryAfterStillHoldsForTheNextRequestAfterGivingUp) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/busy", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();

  auto options = fast_options();
  options.retry.max_attempts = 1;
  HttpClient client(options);
  auto first = client.get(server.url("/busy"));
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::http_temporary);
  auto second = client.get(server.url("/busy"));
  ASSERT_TRUE(second) << second.error().describe();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(1000));
}

TEST(HttpClient, RetriesServerErrorsWithExponentialBackoff) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/flaky", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) < 2) {
      res.status = 500;
      return;
    }
    res.set_content("finally", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/flaky"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "finally");
  EXPECT_EQ(response->attempts, 3);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log.gap(1), milliseconds(50));   // initial_backoff
  EXPECT_GE(log.gap(2), milliseconds(100));  // doubled
}

TEST(HttpClient, RetriesRequestTimeout408) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/408", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.status = 408;
      return;
    }
    res.set_content("ok", "text/plain");
  });
  server.start();
  HttpClient client(fast_options());
  auto response = client.get(server.url("/408"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->attempts, 2);
}

TEST(HttpClient, GivesUpOnPersistent503WithHttpTemporary) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/down", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.status = 503;  // no Retry-After: backoff
  });
  server.start();

  auto options = fast_options();
  options.retry.max_attempts = 3;
  HttpClient client(options);
  auto response = client.get(server.url("/down"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::http_temporary);
  const auto& message = response.error().message;
  EXPECT_NE(message.find(server.url("/down")), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 503"), std::string::npos) << message;
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  EXPECT_EQ(log.size(), 3u);
}

TEST(HttpClient, PermanentClientErrorsAreNotRetried) {
  for (const int status : {400, 401, 403, 404, 410}) {
    LoopbackServer server;
    HitLog log;
    server.server().Get("/nope", [&](const httplib::Request& req, httplib::Response& res) {
      log.add(req);
      res.status = status;
    });
    server.start();

    HttpClient client(fast_options());
    auto response = client.get(server.url("/nope?api_key=SECRET"));
    ASSERT_FALSE(response) << status;
    EXPECT_EQ(response.error().code, ErrorCode::http_permanent) << status;
    const auto& message = response.error().message;
    EXPECT_NE(message.find(server.url("/nope")), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(status)), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
    EXPECT_EQ(log.size(), 1u) << status;
  }
}

TEST(HttpClient, MinIntervalSpacesSequentialRequests) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/page", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content("page", "text/plain");
  });
  server.start();

  auto options = fast_options();
  options.min_interval = milliseconds(300);
  HttpClient client(options);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.get(server.url("/page")));
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log.gap(1), milliseconds(300) - kServerDispatchSlack);
  EXPECT_GE(log.gap(2), milliseconds(300) - kServerDispatchSlack);
}

// Several threads, one host: never two requests in flight, starts spaced by min_interval.
void expect_one_at_a_time(bool separate_clients_sharing_default_gates) {
  LoopbackServer server;
  HitLog log;
  std::mutex mutex;
  int in_flight = 0;
  int max_in_flight = 0;
  server.server().Get("/one", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    {
      std::lock_guard lock(mutex);
      max_in_flight = std::max(max_in_flight, ++in_flight);
    }
    std::this_thread::sleep_for(milliseconds(80));
    {
      std::lock_guard lock(mutex);
      --in_flight;
    }
    res.set_content("one", "text/plain");
  });
  server.start();

  auto options = fast_options();
  options.min_interval = milliseconds(100);
  if (separate_clients_sharing_default_gates) options.gates = nullptr;
  HttpClient shared_client(options);
  std::vector<std::unique_ptr<HttpClient>> own_clients;
  std::vector<std::thread> threads;
  std::atomic<int> successes{0};
  for (int i = 0; i < 3; ++i) {
    HttpClient* client = &shared_client;
    if (separate_clients_sharing_default_gates) {
      own_clients.push_back(std::make_unique<HttpClient>(options));
      client = own_clients.back().get();
    }
    threads.emplace_back([&, client] {
      if (client->get(server.url("/one"))) ++successes;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(successes, 3);
  EXPECT_EQ(max_in_flight, 1);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log.gap(1), milliseconds(100) - kServerDispatchSlack);
  EXPECT_GE(log.gap(2), milliseconds(100) - kServerDispatchSlack);
}

TEST(HttpClient, OneRequestAtATimePerHostAcrossThreads) {
  expect_one_at_a_time(false);
}

TEST(HttpClient, ClientsShareTheProcessWideGatesByDefault) {
  expect_one_at_a_time(true);
}

TEST(HttpClient, RetriesConnectionClosedWithoutReply) {
  RawTcpServer server([](std::size_t n) {
    return n == 0 ? std::string() : raw_response("200 OK", "second time lucky");
  });
  HttpClient client(fast_options());
  auto response = client.get(server.url("/drop"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "second time lucky");
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(server.log().size(), 2u);
  EXPECT_GE(server.log().gap(1), milliseconds(50));
}

TEST(HttpClient, RetriesTruncatedBody) {
  RawTcpServer server([](std::size_t n) {
    if (n == 0) {
      return std::string("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n") +
             "only ten..";
    }
    return raw_response("200 OK", "complete");
  });
  HttpClient client(fast_options());
  auto response = client.get(server.url("/partial"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "complete");
  EXPECT_EQ(response->attempts, 2);
}

TEST(HttpClient, GivesUpOnPersistentDropsWithTransport) {
  RawTcpServer server([](std::size_t) { return std::string(); });
  auto options = fast_options();
  options.retry.max_attempts = 3;
  HttpClient client(options);
  auto response = client.get(server.url("/always-drops"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::transport);
  const auto& message = response.error().message;
  EXPECT_NE(message.find(server.url("/always-drops")), std::string::npos) << message;
  EXPECT_NE(message.find("curl error"), std::string::npos) << message;
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  EXPECT_EQ(server.log().size(), 3u);
}

TEST(HttpClient, RetriesConnectionRefused) {
  // A port that was just free: bind, note it, close.
  int port = 0;
  {
    RawTcpServer probe([](std::size_t) { return std::string(); });
    const auto url = probe.url("");
    port = std::stoi(url.substr(url.rfind(':') + 1));
  }
  auto options = fast_options();
  options.retry.max_attempts = 2;
  HttpClient client(options);
  const auto start = testing::SteadyClock::now();
  auto response = client.get("http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::transport);
  EXPECT_NE(response.error().message.find("2 attempts"), std::string::npos);
  EXPECT_GE(testing::SteadyClock::now() - start, milliseconds(50));  // one backoff
}

TEST(HttpClient, RetriesTimeouts) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/sleepy", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) std::this_thread::sleep_for(milliseconds(600));
    res.set_content("awake", "text/plain");
  });
  server.start();
  auto options = fast_options();
  options.timeout = milliseconds(250);
  HttpClient client(options);
  auto response = client.get(server.url("/sleepy"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "awake");
  EXPECT_EQ(response->attempts, 2);
}

TEST(HttpClient, FollowsRedirects) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/old", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_redirect("/new", 302);
  });
  server.server().Get("/new", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content("moved here", "text/plain");
  });
  server.start();

  HttpClient client(fast_options());
  auto response = client.get(server.url("/old"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "moved here");
  EXPECT_EQ(response->effective_url, server.url("/new"));
  EXPECT_EQ(response->attempts, 1);
  EXPECT_FALSE(response->headers.contains("location"));  // headers of the final hop only
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.hits()[1].path, "/new");
}

TEST(HttpClient, RedirectLoopIsPermanent) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/loop", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_redirect("/loop", 302);
  });
  server.start();
  auto options = fast_options();
  options.max_redirects = 3;
  HttpClient client(options);
  auto response = client.get(server.url("/loop"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::http_permanent);
  EXPECT_EQ(log.size(), 4u);  // the first request and three redirects, one attempt
}

TEST(HttpClient, AcceptsGzipAndDecodesIt) {
  // gzip.compress(b"<ok>gzip body</ok>", mtime=0) from Python: a real gzip member.
  static const unsigned char kGzip[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                                        0x03, 0xb3, 0xc9, 0xcf, 0xb6, 0x4b, 0xaf, 0xca, 0x2c,
                                        0x50, 0x48, 0xca, 0x4f, 0xa9, 0xb4, 0xd1, 0x07, 0xf2,
                                        0x00, 0x24, 0xf7, 0xf8, 0x22, 0x12, 0x00, 0x00, 0x00};
  const std::string compressed(reinterpret_cast<const char*>(kGzip), sizeof kGzip);
  RawTcpServer server([&](std::size_t) {
    return raw_response("200 OK", compressed, "Content-Encoding: gzip\r\n");
  });
  HttpClient client(fast_options());
  auto response = client.get(server.url("/gz"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "<ok>gzip body</ok>");
  EXPECT_EQ(response->headers["content-encoding"], "gzip");
  ASSERT_EQ(server.log().size(), 1u);
  const auto request = server.log().hits()[0].request;
  const auto accept = request.find("Accept-Encoding:");
  ASSERT_NE(accept, std::string::npos) << request;
  EXPECT_NE(request.substr(accept, request.find("\r\n", accept) - accept).find("gzip"),
            std::string::npos)
      << request;
}

TEST(HttpClient, DecodesWhateverEncodingHttplibPicks) {
  LoopbackServer server;
  HitLog log;
  const std::string text(20000, 'x');
  server.server().Get("/big", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content(text, "text/plain");
  });
  server.start();
  HttpClient client(fast_options());
  auto response = client.get(server.url("/big"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, text);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log.hits()[0].accept_encoding.find("gzip"), std::string::npos);
}

TEST(HttpClient, RetriesBodiesThatFailValidation) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/xml", [&](const httplib::Request& req, httplib::Response& res) {
    if (log.add(req) == 0) {
      res.set_content("<OAI-PMH><ListRecords>", "text/xml");  // truncated
      return;
    }
    res.set_content("<OAI-PMH></OAI-PMH>", "text/xml");
  });
  server.start();

  auto options = fast_options();
  options.validate_body = [](const std::string& body) { return body.ends_with("</OAI-PMH>"); };
  HttpClient client(options);
  auto response = client.get(server.url("/xml"));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->attempts, 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log.gap(1), milliseconds(50));
}

TEST(HttpClient, PersistentlyInvalidBodyIsHttpTemporary) {
  LoopbackServer server;
  HitLog log;
  server.server().Get("/bad", [&](const httplib::Request& req, httplib::Response& res) {
    log.add(req);
    res.set_content("<trunc", "text/xml");
  });
  server.start();
  auto options = fast_options();
  options.retry.max_attempts = 2;
  options.validate_body = [](const std::string&) { return false; };
  HttpClient client(options);
  auto response = client.get(server.url("/bad"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::http_temporary);
  EXPECT_NE(response.error().message.find("invalid body"), std::string::npos)
      << response.error().message;
  EXPECT_EQ(log.size(), 2u);
}

TEST(HttpClient, RejectsUnusableUrls) {
  HttpClient client(fast_options());
  for (const std::string url : {"not a url", "ftp://example.org/file", "file:///etc/passwd"}) {
    auto response = client.get(url);
    ASSERT_FALSE(response) << url;
    EXPECT_EQ(response.error().code, ErrorCode::invalid_argument) << url;
  }
}

}  // namespace
}  // namespace bzpeer::http
