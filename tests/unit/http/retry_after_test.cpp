// parse_retry_after and redact_url: table-driven.
#include <gtest/gtest.h>

#include <ctime>
#include <optional>
#include <string>

#include "connectors/http/http_client.hpp"

namespace bzpeer::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string format_utc(std::chrono::system_clock::time_point when, const char* format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[80];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

TEST(ParseRetryAfter, DelaySeconds) {
  const struct {
    const char* value;
    std::optional<milliseconds> expected;
  } cases[] = {
      {"120", milliseconds(120000)},
      {"0", milliseconds(0)},
      {" 5 ", milliseconds(5000)},
      {"1", milliseconds(1000)},
      {"99999999999999999999", seconds(365LL * 24 * 3600)},  // clamped, no overflow
      {"", std::nullopt},
      {"   ", std::nullopt},
      {"-5", std::nullopt},
      {"soon", std::nullopt},
      {"Retry later", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_retry_after(c.value), c.expected) << "'" << c.value << "'";
  }
}

TEST(ParseRetryAfter, HttpDateInTheFuture) {
  const auto when = std::chrono::system_clock::now() + seconds(120);
  // IMF-fixdate, RFC 850 and asctime: RFC 9110 says recipients accept all three.
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    const auto text = format_utc(when, format);
    const auto delay = parse_retry_after(text);
    ASSERT_TRUE(delay) << text;
    EXPECT_GE(*delay, milliseconds(118000)) << text;
    EXPECT_LE(*delay, milliseconds(120000)) << text;
  }
}

TEST(ParseRetryAfter, HttpDateInThePastIsZero) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), milliseconds(0));
}

TEST(RedactUrl, MasksSecretsOnly) {
  const struct {
    const char* url;
    const char* expected;
  } cases[] = {
      {"https://export.arxiv.org/oai2?verb=ListRecords&resumptionToken=6960524|1001",
       "https://export.arxiv.org/oai2?verb=ListRecords&resumptionToken=6960524|1001"},
      {"https://api.openalex.org/works?filter=x&api_key=abc123&page=2",
       "https://api.openalex.org/works?filter=x&api_key=***&page=2"},
      {"https://h/p?TOKEN=t#frag", "https://h/p?TOKEN=***#frag"},
      {"https://user:pa55@h.example/p", "https://user:***@h.example/p"},
      {"https://user@h.example/p", "https://user@h.example/p"},
      {"https://h.example/p?q=a@b:c", "https://h.example/p?q=a@b:c"},
      {"http://127.0.0.1:8080/", "http://127.0.0.1:8080/"},
  };
  for (const auto& c : cases) EXPECT_EQ(redact_url(c.url), c.expected) << c.url;
}

}  // namespace
}  // namespace bzpeer::http
