// Tests of OaiClient: request URLs, and paging through the replay server over real HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/http/http_client.hpp"
#include "connectors/oai_pmh/oai_client.hpp"
#include "connectors/oai_pmh/oai_page.hpp"
#include "oai_test_support.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer::oai {
namespace {

using namespace std::chrono_literals;

http::ClientOptions fast_options(bool validate) {
  http::ClientOptions options;
  options.user_agent = "bzpeer-test/0 (+mailto:test@example.org)";
  options.min_interval = 0ms;
  options.connect_timeout = 2000ms;
  options.timeout = 10000ms;
  options.retry.max_attempts = 4;
  options.retry.initial_backoff = 10ms;
  options.retry.max_backoff = 50ms;
  options.retry.jitter = 0.0;
  if (validate) options.validate_body = is_well_formed_xml;
  return options;
}

/// The query arguments of a request target ("/oai?verb=…&…"), still URL-encoded.
std::multimap<std::string, std::string> query_args(const std::string& target) {
  std::multimap<std::string, std::string> args;
  const auto q = target.find('?');
  if (q == std::string::npos) return args;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    args.emplace(std::string(pair.substr(0, eq)),
                 eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return args;
}

// --- URLs ------------------------------------------------------------------------------------

TEST(OaiClientUrls, FirstPageCarriesAllArgumentsEncoded) {
  http::HttpClient http(fast_options(true));
  const OaiClient client("https://oaipmh.arxiv.org/oai", "arxiv", http);
  ListRequest request;
  request.metadata_prefix = "arXivRaw";
  request.set = "physics:hep-th";
  request.from = "2024-01-01";
  request.until = "2024-01-31";
  EXPECT_EQ(client.first_page_url(request),
            "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXivRaw"
            "&set=physics%3Ahep-th&from=2024-01-01&until=2024-01-31");

  request.set.clear();
  request.until.clear();
  request.from = "2024-01-01T00:00:00Z";
  EXPECT_EQ(client.first_page_url(request),
            "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXivRaw"
            "&from=2024-01-01T00%3A00%3A00Z");
  EXPECT_EQ(client.first_page_url(ListRequest{}),
            "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXivRaw");
}

TEST(OaiClientUrls, TokenUrlCarriesOnlyVerbAndEncodedToken) {
  http::HttpClient http(fast_options(true));
  const OaiClient client("http://export.arxiv.org/oai2", "arxiv", http);
  EXPECT_EQ(client.token_url("726959|1001"),
            "http://export.arxiv.org/oai2?verb=ListRecords&resumptionToken=726959%7C1001");
  // A new-server token is itself URL-encoded: its % signs must be encoded again.
  EXPECT_EQ(client.token_url("verb%3DListRecords%26skip%3D102"),
            "http://export.arxiv.org/oai2?verb=ListRecords&resumptionToken="
            "verb%253DListRecords%2526skip%253D102");
  EXPECT_EQ(client.token_url("a b+c/d=e&f~g.h_i-j"),
            "http://export.arxiv.org/oai2?verb=ListRecords&resumptionToken="
            "a%20b%2Bc%2Fd%3De%26f~g.h_i-j");
}

TEST(OaiClientUrls, BaseUrlWithQueryStringIsContinued) {
  http::HttpClient http(fast_options(true));
  const OaiClient with_query("http://h/oai?repo=x", "s", http);
  EXPECT_EQ(with_query.token_url("t"), "http://h/oai?repo=x&verb=ListRecords&resumptionToken=t");
  const OaiClient trailing("http://h/oai?", "s", http);
  EXPECT_EQ(trailing.first_page_url(ListRequest{}),
            "http://h/oai?verb=ListRecords&metadataPrefix=arXivRaw");
}

// --- paging over the replay server -----------------------------------------------------------

class OaiClientReplay : public ::testing::Test {
 protected:
  void start(replay::TokenStyle style, int page_size) {
    replay::ServerOptions options;
    options.pages_dir = test::fixture_path("arxivraw-sample");
    options.token_style = style;
    options.page_size = page_size;
    server_ = std::make_unique<replay::ReplayServer>(options);
    ASSERT_GT(server_->start(), 0);
  }

  struct Harvest {
    std::vector<OaiPage> pages;
    std::set<std::string> ids;
    std::size_t records = 0;
  };

  /// Pages through ListRecords until the last page (at most 50 pages).
  Harvest harvest(OaiClient& client, const ListRequest& request) {
    Harvest out;
    std::string token;
    for (int guard = 0; guard < 50; ++guard) {
      auto page = client.list_records(request, token);
      EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().describe());
      if (!page) break;
      EXPECT_TRUE(page->errors.empty());
      for (const auto& record : page->records) {
        out.ids.insert(record.source_id);
        EXPECT_EQ(record.source, "arxiv-replay");
        EXPECT_EQ(record.format, request.metadata_prefix);
        EXPECT_TRUE(
            record.payload.starts_with("<arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\""))
            << record.source_id;
      }
      out.records += page->records.size();
      const bool last = page->is_last();
      if (!last) token = page->token->value;
      out.pages.push_back(std::move(*page));
      if (last) break;
    }
    return out;
  }

  /// Every request after the first must carry exactly verb + resumptionToken.
  void expect_token_requests_are_exclusive(const ListRequest& request) {
    const auto log = server_->requests();
    ASSERT_FALSE(log.empty());
    const auto first = query_args(log.front().target);
    EXPECT_EQ(first.count("resumptionToken"), 0u) << log.front().target;
    ASSERT_EQ(first.count("metadataPrefix"), 1u) << log.front().target;
    EXPECT_EQ(first.find("metadataPrefix")->second, request.metadata_prefix);
    for (std::size_t i = 1; i < log.size(); ++i) {
      const auto args = query_args(log[i].target);
      EXPECT_EQ(args.size(), 2u) << log[i].target;
      ASSERT_EQ(args.count("verb"), 1u) << log[i].target;
      EXPECT_EQ(args.find("verb")->second, "ListRecords");
      EXPECT_EQ(args.count("resumptionToken"), 1u) << log[i].target;
    }
  }

  std::unique_ptr<replay::ReplayServer> server_;
};

TEST_F(OaiClientReplay, PagesThroughTheWholeSampleWithModernTokens) {
  start(replay::TokenStyle::modern, 100);
  ASSERT_EQ(server_->record_count("arXivRaw"), 509u);
  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  const ListRequest request;  // arXivRaw, everything

  const Harvest result = harvest(client, request);
  EXPECT_EQ(result.ids.size(), 509u);
  EXPECT_EQ(result.records, 509u);
  ASSERT_EQ(result.pages.size(), 6u);
  for (std::size_t i = 0; i + 1 < result.pages.size(); ++i) {
    ASSERT_TRUE(result.pages[i].token.has_value());
    EXPECT_FALSE(result.pages[i].token->expiration_date.empty());
    EXPECT_FALSE(result.pages[i].token->cursor.has_value());
  }
  EXPECT_TRUE(result.pages.back().is_last());
  EXPECT_EQ(result.pages.back().records.size(), 9u);
  EXPECT_EQ(server_->requests().size(), 6u);
  expect_token_requests_are_exclusive(request);
}

TEST_F(OaiClientReplay, PagesThroughTheWholeSampleWithLegacyTokens) {
  start(replay::TokenStyle::legacy, 250);
  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  const ListRequest request;

  const Harvest result = harvest(client, request);
  EXPECT_EQ(result.ids.size(), 509u);
  ASSERT_EQ(result.pages.size(), 3u);
  ASSERT_TRUE(result.pages[0].token.has_value());
  EXPECT_EQ(result.pages[0].token->cursor, 0);
  EXPECT_EQ(result.pages[0].token->complete_list_size, 509);
  EXPECT_NE(result.pages[0].token->value.find('|'), std::string::npos);
  EXPECT_EQ(result.pages[1].token->cursor, 250);
  EXPECT_TRUE(result.pages[2].is_last());
  expect_token_requests_are_exclusive(request);
  // The '|' of legacy tokens travels encoded.
  EXPECT_NE(server_->requests()[1].target.find("%7C"), std::string::npos);
}

TEST_F(OaiClientReplay, SetAndDateArgumentsReachTheServer) {
  start(replay::TokenStyle::modern, 100);
  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  ListRequest request;
  request.set = "physics:hep-th";
  request.from = "2000-01-01";
  const Harvest result = harvest(client, request);
  EXPECT_GT(result.records, 0u);
  EXPECT_LT(result.records, 509u);
  for (const auto& page : result.pages) {
    for (const auto& record : page.records) {
      bool in_set = false;
      for (const auto& spec : record.sets) {
        in_set = in_set || spec == "physics:hep-th" || spec.starts_with("physics:hep-th:");
      }
      EXPECT_TRUE(in_set) << record.source_id;
      EXPECT_GE(record.datestamp, "2000-01-01");
    }
  }
  const auto first = query_args(server_->requests().front().target);
  ASSERT_EQ(first.count("set"), 1u);
  EXPECT_EQ(first.find("set")->second, "physics%3Ahep-th");
  EXPECT_EQ(first.find("from")->second, "2000-01-01");
  EXPECT_EQ(first.count("until"), 0u);
  expect_token_requests_are_exclusive(request);
}

TEST_F(OaiClientReplay, CorruptedPagesAreRetriedThroughValidateBody) {
  start(replay::TokenStyle::modern, 100);
  replay::Fault truncate;
  truncate.kind = replay::FaultKind::truncate;
  truncate.only_token_requests = true;
  server_->inject(truncate);
  replay::Fault invalid;
  invalid.kind = replay::FaultKind::invalid_xml;
  invalid.only_token_requests = true;
  server_->inject(invalid);

  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  const Harvest result = harvest(client, ListRequest{});
  EXPECT_EQ(result.ids.size(), 509u);
  EXPECT_EQ(result.pages.size(), 6u);
  EXPECT_EQ(server_->requests().size(), 8u);  // two pages needed a second attempt
}

TEST_F(OaiClientReplay, UnparseableFinalBodyIsAParseErrorNamingTheUrl) {
  start(replay::TokenStyle::modern, 100);
  replay::Fault truncate;
  truncate.kind = replay::FaultKind::truncate;
  server_->inject(truncate);

  http::HttpClient http(fast_options(false));  // no validate_body: the client sees the body
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  const auto page = client.list_records(ListRequest{}, "");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::parse);
  const std::string url = client.first_page_url(ListRequest{});
  EXPECT_NE(page.error().message.find(url), std::string::npos) << page.error().message;
  EXPECT_TRUE(page.error().message.starts_with("arxiv-replay: response to "))
      << page.error().message;
  EXPECT_NE(page.error().message.find("not well-formed XML"), std::string::npos);
}

TEST_F(OaiClientReplay, ExpiredTokenIsAnOaiErrorNotAFailure) {
  start(replay::TokenStyle::modern, 100);
  replay::Fault expire;
  expire.kind = replay::FaultKind::expire_token;
  server_->inject(expire);

  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  const auto first = client.list_records(ListRequest{}, "");
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  ASSERT_FALSE(first->is_last());
  const auto second = client.list_records(ListRequest{}, first->token->value);
  ASSERT_TRUE(second.has_value()) << second.error().describe();
  ASSERT_EQ(second->errors.size(), 1u);
  EXPECT_EQ(second->errors[0].code, OaiErrorCode::badResumptionToken);
  EXPECT_TRUE(second->records.empty());
  EXPECT_TRUE(second->is_last());
}

TEST_F(OaiClientReplay, EmptyWindowIsNoRecordsMatch) {
  start(replay::TokenStyle::modern, 100);
  http::HttpClient http(fast_options(true));
  OaiClient client(server_->base_url(), "arxiv-replay", http);
  ListRequest request;
  request.from = "2090-01-01";
  const auto page = client.list_records(request, "");
  ASSERT_TRUE(page.has_value()) << page.error().describe();
  ASSERT_EQ(page->errors.size(), 1u);
  EXPECT_EQ(page->errors[0].code, OaiErrorCode::noRecordsMatch);
  EXPECT_TRUE(page->records.empty());
}

}  // namespace
}  // namespace bzpeer::oai
