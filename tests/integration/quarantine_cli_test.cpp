// `bzpeer quarantine list|retry` as an operator runs it: the real binary against a store
// harvested from the replay server on 127.0.0.1, whose pages carry one record that cannot
// be mapped (0906.4150 without its <version> elements, tests/fixtures/oai/arxivraw-updates).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "harvest_support.hpp"
#include "index/store/store_impl.hpp"
#include "pipeline/storage_lock.hpp"

namespace bzpeer::it {
namespace {

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs the bzpeer binary; stdout and stderr are captured apart (pipes, not terminals).
CmdResult run(const std::string& args, const fs::path& scratch) {
  const auto err_file = scratch / "stderr.txt";
  std::string cmd =
      std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + " 2>" + err_file.string();
  CmdResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// The value of `"key":"...` in one-line JSON (the fields checked here are plain strings).
std::string json_string(const std::string& json, const std::string& key) {
  const std::string open = "\"" + key + "\":\"";
  const auto at = json.find(open);
  if (at == std::string::npos) return "";
  const auto start = at + open.size();
  return json.substr(start, json.find('"', start) - start);
}

constexpr const char* kBroken = "oai:arXiv.org:0906.4150";

class QuarantineCli : public ::testing::Test {
 protected:
  void SetUp() override {
    make_pages_dir(pages_.path(), {"broken-no-version-0906.4150.xml"});
    server_ = start_replay(pages_.path(), 100);
    config_ = (dir_.path() / "bzpeer.toml").string();
    std::ofstream(config_) << "[storage]\ndir = \"" << var().string()
                           << "\"\n[harvest]\ncontact = \"test@localhost\"\n"
                           << "initial_backoff_s = 0.05\n[[source]]\nname = \"arxiv\"\n"
                           << "kind = \"oai-pmh\"\nurl = \"" << server_->base_url()
                           << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
    // Consolidation and indexing are left to the verbs under test (retry does both).
    harvest_ = bzpeer("harvest --no-index");
  }

  [[nodiscard]] fs::path var() const { return dir_.path() / "var"; }
  CmdResult bzpeer(const std::string& args) {
    return run("--config " + config_ + " " + args, dir_.path());
  }

  TempDir dir_{"quarantine-cli"};
  TempDir pages_{"quarantine-pages"};
  std::unique_ptr<replay::ReplayServer> server_;
  std::string config_;
  CmdResult harvest_;
};

TEST_F(QuarantineCli, ListShowsSourceIdReasonWhenAndAttempts) {
  EXPECT_EQ(harvest_.code, 0) << harvest_.err;
  EXPECT_NE(harvest_.err.find("quarantined=1"), std::string::npos) << harvest_.err;
  // stderr is a file here: no progress line, which would start with a carriage return.
  EXPECT_EQ(harvest_.err.find('\r'), std::string::npos) << harvest_.err;
  EXPECT_EQ(harvest_.err.find("rec/s"), std::string::npos) << harvest_.err;

  auto r = bzpeer("quarantine list");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(std::string("arxiv ") + kBroken + " (arXivRaw)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  reason    "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("version"), std::string::npos) << r.out;  // what is missing
  EXPECT_NE(r.out.find(", 1 attempt, last 20"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n1 quarantined record\n"), std::string::npos) << r.out;

  r = bzpeer("quarantine list --json --source arxiv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\"count\":1,\"records\":[{\"source\":\"arxiv\",")) << r.out;
  EXPECT_EQ(json_string(r.out, "source_id"), kBroken);
  EXPECT_EQ(json_string(r.out, "format"), "arXivRaw");
  EXPECT_NE(json_string(r.out, "reason").find("version"), std::string::npos) << r.out;
  EXPECT_EQ(json_string(r.out, "quarantined_at").size(), 20u) << r.out;  // 2026-11-27T16:41:06Z
  EXPECT_EQ(json_string(r.out, "quarantined_at"), json_string(r.out, "last_attempt_at"));
  EXPECT_NE(r.out.find("\"attempts\":1}"), std::string::npos) << r.out;

  // The quarantine agrees with the store's own listing.
  auto store = store::Store::open(var(), store::OpenMode::read_only);
  ASSERT_TRUE(store) << store.error().describe();
  auto entries = store->quarantine();
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(json_string(r.out, "reason"), entries->front().error);

  r = bzpeer("quarantine list --source nosuch");
  EXPECT_EQ(r.code, 64) << r.out;
  EXPECT_NE(r.err.find("no source named \"nosuch\""), std::string::npos) << r.err;
  r = bzpeer("quarantine");
  EXPECT_EQ(r.code, 64) << r.out;  // list or retry is required
}

TEST_F(QuarantineCli, RetryThatFailsAgainKeepsTheRecordWithOneMoreAttempt) {
  const auto before = bzpeer("quarantine list --json");
  ASSERT_EQ(before.code, 0);

  auto r = bzpeer("quarantine retry 1234.5678");
  EXPECT_EQ(r.code, 66) << r.out << r.err;
  EXPECT_NE(r.err.find("no quarantined record \"1234.5678\""), std::string::npos) << r.err;

  {
    auto lock = pipeline::StorageLock::acquire(var());
    ASSERT_TRUE(lock) << lock.error().describe();
    r = bzpeer("quarantine retry");
    EXPECT_EQ(r.code, 69) << r.out << r.err;
  }

  r = bzpeer("quarantine retry");
  EXPECT_EQ(r.code, 65) << r.out << r.err;
  EXPECT_NE(r.out.find(std::string("still quarantined arxiv ") + kBroken + " (attempt 2): "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("quarantine retry: 1 retried, 0 released, 1 still quarantined\n"),
            std::string::npos)
      << r.out;

  r = bzpeer("quarantine retry --source arxiv 0906.4150");  // the short form of the id
  EXPECT_EQ(r.code, 65) << r.out << r.err;
  EXPECT_NE(r.out.find("(attempt 3)"), std::string::npos) << r.out;

  const auto after = bzpeer("quarantine list --json");
  ASSERT_EQ(after.code, 0);
  EXPECT_NE(after.out.find("\"count\":1,"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("\"attempts\":3}"), std::string::npos) << after.out;
  EXPECT_NE(json_string(after.out, "reason").find("version"), std::string::npos) << after.out;
  EXPECT_EQ(json_string(after.out, "quarantined_at"), json_string(before.out, "quarantined_at"));
  EXPECT_GE(json_string(after.out, "last_attempt_at"), json_string(before.out, "last_attempt_at"));

  auto text = bzpeer("quarantine list");
  EXPECT_NE(text.out.find(", 3 attempts, last "), std::string::npos) << text.out;
  auto stats = bzpeer("stats --json");
  EXPECT_NE(stats.out.find("\"works\":508,"), std::string::npos) << stats.out;
}

TEST_F(QuarantineCli, RetryStoresARecordThatMapsNowAndLeavesTheCheckpoint) {
  // The quarantine as an older bzpeer would have left it, had its mapper rejected a record
  // that today's maps: the entry holds 0906.4150's intact payload, taken from a clean
  // harvest of the same sample.
  std::string good_payload;
  {
    auto clean_server = start_replay(sample_pages(), 100);
    Harness clean("quarantine-clean");
    ASSERT_EQ(clean.harvest(clean_server->base_url()).status, pipeline::HarvestStatus::ok);
    auto q =
        clean.store().impl().db.prepare("SELECT payload FROM source_records WHERE source_id=?");
    q.bind(1, kBroken);
    ASSERT_TRUE(q.step());
    good_payload = q.get_text(0);
  }
  store::Checkpoint cp_before;
  {
    auto store = store::Store::open(var(), store::OpenMode::read_write);
    ASSERT_TRUE(store) << store.error().describe();
    store->impl()
        .db.prepare("UPDATE quarantine SET payload=?, error=? WHERE source_id=?")
        .bind(1, good_payload)
        .bind(2, "rejected by an older mapper")
        .bind(3, kBroken)
        .run();
    ASSERT_EQ(store->impl().db.changes(), 1);
    auto cp = store->checkpoint("arxiv", "", "arXivRaw");
    ASSERT_TRUE(cp && *cp);
    cp_before = **cp;
  }
  auto stats = bzpeer("stats --json");
  EXPECT_NE(stats.out.find("\"works\":508,"), std::string::npos) << stats.out;

  auto r = bzpeer("quarantine retry");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::string("released arxiv ") + kBroken + ": stored \""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("quarantine retry: 1 retried, 1 released, 0 still quarantined\n"),
            std::string::npos)
      << r.out;

  r = bzpeer("quarantine list");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "the quarantine is empty\n");
  r = bzpeer("quarantine list --json");
  EXPECT_EQ(r.out, "{\"count\":0,\"records\":[]}\n");
  // Stored, consolidated and indexed like a harvested record.
  stats = bzpeer("stats --json");
  EXPECT_NE(stats.out.find("\"works\":509,"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("\"quarantined\":0,"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("\"pending_index\":0,"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("\"index_documents\":509,"), std::string::npos) << stats.out;
  auto search = bzpeer("search --json 'arxiv:0906.4150'");
  EXPECT_EQ(count_of(search.out, "\"arxiv_id\":\"0906.4150\""), 1u) << search.out;
  // The harvest position did not move.
  {
    auto store = store::Store::open(var(), store::OpenMode::read_only);
    ASSERT_TRUE(store);
    auto cp = store->checkpoint("arxiv", "", "arXivRaw");
    ASSERT_TRUE(cp && *cp);
    EXPECT_EQ((*cp)->harvested_until, cp_before.harvested_until);
    EXPECT_EQ((*cp)->window_from, cp_before.window_from);
    EXPECT_EQ((*cp)->token, cp_before.token);
    EXPECT_EQ((*cp)->pages, cp_before.pages);
    EXPECT_EQ((*cp)->max_datestamp, cp_before.max_datestamp);
  }
  r = bzpeer("quarantine retry");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "quarantine retry: nothing to retry\n");
}

}  // namespace
}  // namespace bzpeer::it
