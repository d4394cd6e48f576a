// Harvesting through faults: the replay server injects 503/429 with Retry-After, dropped
// connections, truncated and invalid XML, expired and repeated tokens; a scripted server
// sends endless empty pages and recorded OAI error responses. Each test asserts on the
// store's exact contents (against an uninterrupted run of the same 509 records) and on
// the requests the server saw, with their timing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harvest_support.hpp"
#include "tests/unit/oai/scripted_server.hpp"

namespace bzpeer::it {
namespace {

constexpr int kPageSize = 50;  // 509 records -> 11 pages
constexpr int kPages = 11;

bool is_list_request(const replay::RequestLogEntry& e) {
  return e.target.find("verb=ListRecords") != std::string::npos;
}
bool has_token(const replay::RequestLogEntry& e) {
  return e.target.find("resumptionToken=") != std::string::npos;
}
std::vector<replay::RequestLogEntry> list_requests(const replay::ReplayServer& server) {
  std::vector<replay::RequestLogEntry> out;
  for (const auto& e : server.requests()) {
    if (is_list_request(e)) out.push_back(e);
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

/// Queues `n` do-nothing faults for token requests, so the next fault hits page n + 2.
void skip_token_requests(replay::ReplayServer& server, int n) {
  if (n <= 0) return;
  replay::Fault filler;
  filler.kind = replay::FaultKind::delay;
  filler.delay = 0ms;
  filler.times = n;
  filler.only_token_requests = true;
  server.inject(filler);
}

class HarvestFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)clean_contents();  // computed once, outside the timing of the tests
    server_ = start_replay(sample_pages(), kPageSize);
  }

  /// Harvests; expects a complete window. (Consolidation and indexing are left out: they
  /// are a function of what the harvest stored, which is what these tests compare.)
  pipeline::HarvestSummary harvest_ok(const std::string& from = "") {
    auto summary = h_.harvest(server_->base_url(), from);
    EXPECT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.to_line();
    return summary;
  }

  /// The gap between the request answered with `status` and the next request.
  void expect_waited_after(int status, std::chrono::milliseconds at_least) {
    const auto log = server_->requests();
    auto it = std::ranges::find_if(log, [&](const auto& e) { return e.status == status; });
    ASSERT_NE(it, log.end()) << "no " << status << " was sent";
    ASSERT_NE(it + 1, log.end()) << "no request after the " << status;
    const auto gap = (it + 1)->at - it->at;
    EXPECT_GE(gap, at_least) << "the request after the " << status << " came after "
                             << std::chrono::duration<double>(gap).count() << " s";
    EXPECT_EQ((it + 1)->target, it->target) << "the same page is asked again";
  }

  Harness h_{"faults"};
  std::unique_ptr<replay::ReplayServer> server_;
};

TEST_F(HarvestFaults, RetryAfterOn503IsHonoured) {
  skip_token_requests(*server_, 2);
  server_->inject({replay::FaultKind::status, 503, 1, 0ms, 1, true});
  auto summary = harvest_ok();
  EXPECT_EQ(summary.counts.added, 509);
  EXPECT_EQ(summary.pages, kPages);
  expect_waited_after(503, 1000ms);
  EXPECT_EQ(h_.contents(), clean_contents());
}

TEST_F(HarvestFaults, RetryAfterOn429IsHonoured) {
  server_->inject({replay::FaultKind::status, 429, 1, 0ms, 1, false});
  auto summary = harvest_ok();
  EXPECT_EQ(summary.counts.added, 509);
  expect_waited_after(429, 1000ms);
  EXPECT_EQ(h_.contents(), clean_contents());
}

TEST_F(HarvestFaults, DroppedConnectionsAreRetried) {
  skip_token_requests(*server_, 4);
  server_->inject({replay::FaultKind::drop_connection, 0, -1, 0ms, 2, true});
  auto summary = harvest_ok();
  EXPECT_EQ(summary.counts.added, 509);
  EXPECT_EQ(summary.pages, kPages);
  const auto log = server_->requests();
  EXPECT_EQ(std::ranges::count_if(log, [](const auto& e) { return e.status == 0; }), 2);
  EXPECT_EQ(h_.contents(), clean_contents());
}

TEST_F(HarvestFaults, TruncatedAndInvalidXmlAreRetried) {
  skip_token_requests(*server_, 1);
  server_->inject({replay::FaultKind::truncate, 0, -1, 0ms, 1, true});
  skip_token_requests(*server_, 3);
  server_->inject({replay::FaultKind::invalid_xml, 0, -1, 0ms, 2, true});
  auto summary = harvest_ok();
  EXPECT_EQ(summary.counts.added, 509);
  EXPECT_EQ(summary.counts.quarantined, 0);
  EXPECT_EQ(summary.pages, kPages);
  // 11 pages + 3 retried bodies.
  EXPECT_EQ(list_requests(*server_).size(), static_cast<std::size_t>(kPages + 3));
  EXPECT_EQ(h_.contents(), clean_contents());
}

/// A failure outlasting max_attempts on page 4: temporary failure, the checkpoint stays
/// after page 3, and the next run resumes with exactly the stored token.
void fail_then_resume(Harness& h, replay::ReplayServer& server, replay::FaultKind kind) {
  constexpr int kAttempts = 3;
  skip_token_requests(server, 2);
  server.inject({kind, 503, -1, 0ms, kAttempts, true});
  auto failed = h.harvest(server.base_url(), "", test_client_options(kAttempts));
  EXPECT_EQ(failed.status, pipeline::HarvestStatus::temporary_failure) << failed.to_line();
  EXPECT_EQ(failed.pages, 3);
  EXPECT_EQ(failed.counts.added, 3 * kPageSize);
  EXPECT_NE(failed.message.find("resumptionToken"), std::string::npos) << failed.message;

  const auto lists = list_requests(server);
  ASSERT_EQ(lists.size(), static_cast<std::size_t>(3 + kAttempts));
  const std::string failing_target = lists.back().target;
  for (int i = 0; i < kAttempts; ++i) EXPECT_EQ(lists[lists.size() - 1 - i].target, failing_target);
  const auto cp = h.checkpoint();
  EXPECT_EQ(cp.pages, 3);
  ASSERT_FALSE(cp.token.empty());
  EXPECT_EQ(failing_target, "/oai?verb=ListRecords&resumptionToken=" + percent_encode(cp.token));
  auto stats = h.store().stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->source_records, 3 * kPageSize);

  server.clear_requests();
  auto resumed = h.harvest(server.base_url());
  EXPECT_EQ(resumed.status, pipeline::HarvestStatus::ok) << resumed.to_line();
  EXPECT_EQ(resumed.counts.added, 509 - 3 * kPageSize);
  EXPECT_EQ(resumed.counts.unchanged, 0);
  EXPECT_EQ(resumed.pages, kPages - 3);
  const auto log = server.requests();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().target, failing_target) << "the resumed run starts at the stored token";
  EXPECT_EQ(h.contents(), clean_contents());
}

TEST_F(HarvestFaults, Persistent503StopsWithCheckpointAtLastCommittedPageAndResumes) {
  fail_then_resume(h_, *server_, replay::FaultKind::status);
}

TEST_F(HarvestFaults, PersistentInvalidXmlStopsWithCheckpointAtLastCommittedPageAndResumes) {
  fail_then_resume(h_, *server_, replay::FaultKind::invalid_xml);
}

TEST_F(HarvestFaults, ExpiredTokenRestartsTheWindowNotTheHarvest) {
  skip_token_requests(*server_, 4);
  server_->inject({replay::FaultKind::expire_token, 0, -1, 0ms, 1, true});
  // From 2000-01-01, raised to the replay server's earliestDatestamp by Identify.
  auto summary = harvest_ok("2000-01-01");
  EXPECT_EQ(summary.token_restarts, 1);
  EXPECT_EQ(summary.counts.added, 509);
  EXPECT_EQ(summary.counts.unchanged, 5 * kPageSize);  // pages 1-5 seen again
  EXPECT_EQ(summary.counts.seen, 509 + 5 * kPageSize);
  const auto lists = list_requests(*server_);
  ASSERT_GE(lists.size(), 7u);
  EXPECT_FALSE(has_token(lists[0]));
  EXPECT_NE(lists[0].target.find("&from="), std::string::npos) << lists[0].target;
  EXPECT_TRUE(has_token(lists[5]));  // answered badResumptionToken
  EXPECT_EQ(lists[6].target, lists[0].target) << "a first-page request with the window's from";
  EXPECT_EQ(h_.contents(), clean_contents());
  auto stats = h_.store().stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->source_records, 509);
  EXPECT_EQ(stats->works, 509);
}

TEST_F(HarvestFaults, UnchangedTokenStopsWithProtocolError) {
  skip_token_requests(*server_, 2);
  server_->inject({replay::FaultKind::repeat_token, 0, -1, 0ms, 1, true});
  auto summary = h_.harvest(server_->base_url());
  EXPECT_EQ(summary.status, pipeline::HarvestStatus::protocol_error) << summary.to_line();
  EXPECT_NE(summary.message.find("same resumption token"), std::string::npos) << summary.message;
  EXPECT_EQ(summary.pages, 3);
  // The looping page is not stored; the checkpoint still points at it.
  const auto lists = list_requests(*server_);
  ASSERT_EQ(lists.size(), 4u);
  EXPECT_EQ(lists.back().target,
            "/oai?verb=ListRecords&resumptionToken=" + percent_encode(h_.checkpoint().token));
  auto stats = h_.store().stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->source_records, 3 * kPageSize);
}

TEST_F(HarvestFaults, RecordThatCannotBeMappedIsQuarantinedAndThePageGoesOn) {
  // 0906.4150 served without its <version> elements (arxivraw-updates fixture).
  TempDir pages("pages");
  make_pages_dir(pages.path(), {"broken-no-version-0906.4150.xml"});
  server_ = start_replay(pages.path(), kPageSize);
  auto summary = harvest_ok();
  EXPECT_EQ(summary.counts.seen, 509);
  EXPECT_EQ(summary.counts.added, 508);
  EXPECT_EQ(summary.counts.quarantined, 1);
  EXPECT_EQ(summary.pages, kPages);
  auto quarantine = h_.store().quarantine();
  ASSERT_TRUE(quarantine);
  ASSERT_EQ(quarantine->size(), 1u);
  EXPECT_EQ(quarantine->front().source_id, "oai:arXiv.org:0906.4150");
  EXPECT_NE(quarantine->front().error.find("version"), std::string::npos)
      << quarantine->front().error;

  // Everything else is exactly what a clean run stores.
  Harness clean("clean-noids");
  auto clean_server = start_replay(sample_pages(), 100);
  ASSERT_EQ(clean.harvest(clean_server->base_url()).status, pipeline::HarvestStatus::ok);
  Contents expected = clean.contents(false);
  std::erase_if(expected.works, [](const auto& l) { return l.starts_with("0906.4150|"); });
  std::erase_if(expected.authorships, [](const auto& l) { return l.starts_with("0906.4150|"); });
  EXPECT_EQ(expected.works.size(), 508u);
  EXPECT_EQ(h_.contents(false), expected);

  // Fixed at the source, the record leaves the quarantine on the next harvest.
  server_ = start_replay(sample_pages(), kPageSize);
  auto fixed = h_.harvest(server_->base_url(), "2009-01-01");
  EXPECT_EQ(fixed.status, pipeline::HarvestStatus::ok) << fixed.to_line();
  EXPECT_EQ(fixed.counts.added, 1);
  EXPECT_EQ(fixed.counts.unchanged, 508);
  quarantine = h_.store().quarantine();
  ASSERT_TRUE(quarantine);
  EXPECT_TRUE(quarantine->empty());
}

// --- a scripted server: endless empty pages, recorded error responses -------------------------

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(HarvestScripted, EndlessEmptyPagesStop) {
  // The recorded sickle ListRecords page with its records taken out and a new token on
  // every answer: a server that keeps promising more and sends nothing.
  const std::string identify = read_file(fixtures() / "sickle" / "sickle_Identify.xml");
  const std::string page = read_file(fixtures() / "sickle" / "sickle_ListRecords.xml");
  const std::string head = page.substr(0, page.find("<record>"));
  int n = 0;
  oai::test::ScriptedServer server([&](const httplib::Request& req) {
    if (req.get_param_value("verb") == "Identify") return identify;
    return head + "<resumptionToken>empty-" + std::to_string(++n) +
           "</resumptionToken></ListRecords></OAI-PMH>";
  });
  Harness h("empty");
  auto summary = h.harvest(server.base_url(), "", test_client_options(), 5);
  EXPECT_EQ(summary.status, pipeline::HarvestStatus::protocol_error) << summary.to_line();
  EXPECT_NE(summary.message.find("empty pages"), std::string::npos) << summary.message;
  EXPECT_EQ(server.targets().size(), 1u + 6u);  // Identify + 6 empty pages
  EXPECT_EQ(summary.counts.seen, 0);
}

TEST(HarvestScripted, RecordedErrorResponsesEndTheRunAsTheyShould) {
  struct Case {
    std::string fixture;
    pipeline::HarvestStatus status;
  };
  const std::vector<Case> cases = {
      {"mikesaelim_ErrorResponseNoRecordsMatch.xml", pipeline::HarvestStatus::ok},
      {"sickle_noRecordsMatch.xml", pipeline::HarvestStatus::ok},
      {"mikesaelim_ErrorResponseBadArgument.xml", pipeline::HarvestStatus::protocol_error},
      {"sickle_cannotDisseminateFormat.xml", pipeline::HarvestStatus::protocol_error},
      {"sickle_noSetHierarchy.xml", pipeline::HarvestStatus::protocol_error},
      {"mikesaelim_ErrorResponseBadVerb.xml", pipeline::HarvestStatus::protocol_error},
      {"sickle_undefinedError.xml", pipeline::HarvestStatus::protocol_error},
  };
  const std::string identify = read_file(fixtures() / "sickle" / "sickle_Identify.xml");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fixture);
    const std::string body = read_file(fixtures() / "errors" / c.fixture);
    oai::test::ScriptedServer server([&](const httplib::Request& req) {
      return req.get_param_value("verb") == "Identify" ? identify : body;
    });
    Harness h("errors");
    auto summary = h.harvest(server.base_url(), "2013-01-01");
    EXPECT_EQ(summary.status, c.status) << summary.to_line();
    EXPECT_EQ(summary.counts.seen, 0);
    const auto cp = h.store().checkpoint("arxiv", "", "arXivRaw");
    ASSERT_TRUE(cp);
    if (c.status == pipeline::HarvestStatus::ok) {
      // An empty window is complete up to the server's responseDate.
      ASSERT_TRUE(*cp);
      const auto at = body.find("<responseDate>") + 14;
      EXPECT_EQ((*cp)->harvested_until, body.substr(at, 10));
    } else {
      EXPECT_FALSE(*cp && !(*cp)->harvested_until.empty());
      EXPECT_NE(summary.message.find(server.base_url()), std::string::npos) << summary.message;
    }
  }
}

}  // namespace
}  // namespace bzpeer::it
