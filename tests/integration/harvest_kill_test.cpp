// The real `bzpeer` executable, killed with SIGKILL at several points of a multi-page
// harvest (and once during consolidation/indexing), then run again: the final store must
// equal the store of an uninterrupted run, and SQLite must find it intact. Also: a second
// harvest of the same storage exits at once with 69 while one runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harvest_support.hpp"

namespace bzpeer::it {
namespace {

const std::string kBzpeer = bzpeer_exe();
constexpr int kPageSize = 25;  // 509 records -> 21 pages
constexpr int kPages = 21;

class HarvestKill : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kBzpeer)) << kBzpeer << " is not built";
    server_ = start_replay(sample_pages(), kPageSize);
    // Every request is answered after a pause, so a harvest lasts long enough to be killed
    // between (and during) its pages.
    replay::Fault slow;
    slow.kind = replay::FaultKind::delay;
    slow.delay = 60ms;
    slow.times = 1000000;
    server_->inject(slow);
  }

  /// A config for storage under `dir`.
  std::string write_config(const fs::path& dir) {
    return write_cli_config(dir, server_->base_url());
  }

  /// The checkpoint as committed, read by a reader of its own (nullopt before the first).
  static std::optional<store::Checkpoint> committed(const fs::path& dir) {
    auto s = store::Store::open(dir / "var", store::OpenMode::read_only);
    if (!s) return std::nullopt;
    auto cp = s->checkpoint("arxiv", "", "arXivRaw");
    if (!cp || !*cp) return std::nullopt;
    return **cp;
  }

  static std::int64_t source_records(const fs::path& dir) {
    auto s = store::Store::open(dir / "var", store::OpenMode::read_only);
    if (!s) return -1;
    auto stats = s->stats();
    return stats ? stats->source_records : -1;
  }

  static std::string integrity(const fs::path& dir) { return store_integrity(dir / "var"); }

  /// Waits (up to 60 s) until `ready()` or the child exits.
  template <class Ready>
  static void wait_for(Process& child, Ready&& ready) {
    for (int i = 0; i < 12000 && child.running() && !ready(); ++i) {
      std::this_thread::sleep_for(5ms);
    }
  }

  std::unique_ptr<replay::ReplayServer> server_;
};

TEST_F(HarvestKill, KilledAtAnyPointTheFinalStoreEqualsAnUninterruptedRun) {
  // The uninterrupted run.
  TempDir clean_dir("kill-clean");
  const std::string clean_config = write_config(clean_dir.path());
  std::string clean_err;
  ASSERT_EQ(run_process({kBzpeer, "--config", clean_config, "harvest"}, clean_dir.path(), nullptr,
                        &clean_err),
            0)
      << clean_err;
  EXPECT_EQ(clean_err.find('\r'), std::string::npos) << "a progress line although not a TTY";
  EXPECT_NE(clean_err.find("harvest arxiv: ok seen=509 added=509"), std::string::npos) << clean_err;
  EXPECT_TRUE(fs::exists(clean_dir.path() / "var" / "last-harvest-arxiv.json"));
  std::string clean_works, clean_authorships;
  ASSERT_EQ(run_process({kBzpeer, "--config", clean_config, "export", "works"}, clean_dir.path(),
                        &clean_works),
            0);
  ASSERT_EQ(run_process({kBzpeer, "--config", clean_config, "export", "authorships"},
                        clean_dir.path(), &clean_authorships),
            0);
  ASSERT_EQ(std::count(clean_works.begin(), clean_works.end(), '\n'), 509);
  // Keyphrase document frequencies (written from memory, not with every page).
  const std::string kPhraseDf = "SELECT stem || ' ' || df FROM phrase_df ORDER BY stem;";
  const std::string kUnflushed = "SELECT value FROM meta WHERE key='phrase_df_unflushed';";
  const std::string clean_df = store_sql(clean_dir.path() / "var", kPhraseDf);
  ASSERT_GT(std::count(clean_df.begin(), clean_df.end(), '\n'), 5000);
  EXPECT_EQ(store_sql(clean_dir.path() / "var", kUnflushed), "");

  // The same harvest, killed after 2, 6, 11, 16 and 20 committed pages, each run resuming
  // where the previous one died.
  TempDir dir("kill");
  const std::string config = write_config(dir.path());
  const std::vector<std::string> harvest = {kBzpeer, "--config", config, "harvest"};
  std::int64_t pages_before = 0;
  for (const int kill_after : {2, 6, 11, 16, 20}) {
    SCOPED_TRACE("kill after " + std::to_string(kill_after) + " pages");
    server_->clear_requests();
    Process child(harvest, dir.path() / "out", dir.path() / "err");
    ASSERT_TRUE(child.started());
    wait_for(child, [&] {
      auto cp = committed(dir.path());
      return cp && cp->pages >= kill_after;
    });
    ASSERT_TRUE(child.kill9()) << "the harvest ended before it was killed: "
                               << file_text(dir.path() / "err");
    EXPECT_EQ(integrity(dir.path()), "ok\n");
    // The committed pages' phrase_df changes died in memory, and the store says so.
    EXPECT_EQ(store_sql(dir.path() / "var", kUnflushed), "1\n");
    const auto cp = committed(dir.path());
    ASSERT_TRUE(cp);
    EXPECT_GE(cp->pages, kill_after);
    EXPECT_GE(cp->pages, pages_before);
    // Exactly the records of the committed pages: a page and its checkpoint are one
    // transaction.
    EXPECT_EQ(source_records(dir.path()), std::min<std::int64_t>(509, cp->pages * kPageSize));
    if (pages_before > 0) {
      // The resumed run asked first for the page after the last committed one.
      const auto log = server_->requests();
      ASSERT_FALSE(log.empty());
      EXPECT_NE(log.front().target.find("resumptionToken="), std::string::npos)
          << log.front().target;
    }
    pages_before = cp->pages;
  }

  // Killed once the window is complete: during consolidation and indexing.
  {
    Process child(harvest, dir.path() / "out", dir.path() / "err");
    ASSERT_TRUE(child.started());
    wait_for(child, [&] {
      auto cp = committed(dir.path());
      return cp && !cp->harvested_until.empty();
    });
    ASSERT_TRUE(child.kill9()) << "the run ended before it was killed";
    const std::string err = file_text(dir.path() / "err");
    EXPECT_EQ(err.find("consolidated"), std::string::npos) << "killed after consolidation:\n"
                                                           << err;
    EXPECT_EQ(integrity(dir.path()), "ok\n");
    const auto cp = committed(dir.path());
    ASSERT_TRUE(cp);
    EXPECT_EQ(cp->pages, kPages);
    EXPECT_TRUE(cp->token.empty());
  }

  // Run to completion: an incremental run (nothing new), then consolidation and indexing
  // of everything the killed runs stored.
  ASSERT_EQ(run_process(harvest, dir.path()), 0) << file_text(dir.path() / "run.err");
  EXPECT_EQ(integrity(dir.path()), "ok\n");
  std::string works, authorships;
  ASSERT_EQ(run_process({kBzpeer, "--config", config, "export", "works"}, dir.path(), &works), 0);
  ASSERT_EQ(
      run_process({kBzpeer, "--config", config, "export", "authorships"}, dir.path(), &authorships),
      0);
  EXPECT_EQ(works, clean_works);
  EXPECT_EQ(authorships, clean_authorships);
  // Recounted by the consolidation that found the meta row.
  EXPECT_EQ(store_sql(dir.path() / "var", kPhraseDf), clean_df);
  EXPECT_EQ(store_sql(dir.path() / "var", kUnflushed), "");
  std::string search;
  ASSERT_EQ(run_process({kBzpeer, "--config", config, "search", "--limit", "20", "author:borucki"},
                        dir.path(), &search),
            0);
  EXPECT_NE(search.find("1102.0541"), std::string::npos) << search;
}

TEST_F(HarvestKill, SecondHarvestExitsAtOnceWith69) {
  TempDir dir("lock");
  const std::string config = write_config(dir.path());
  Process first({kBzpeer, "--config", config, "harvest", "--no-index"}, dir.path() / "out",
                dir.path() / "err");
  ASSERT_TRUE(first.started());
  wait_for(first, [&] { return !server_->requests().empty(); });
  ASSERT_TRUE(first.running());

  std::string err;
  const int code = run_process({kBzpeer, "--config", config, "harvest"}, dir.path(), nullptr, &err);
  EXPECT_EQ(code, 69) << err;
  EXPECT_NE(err.find("in use by another bzpeer process"), std::string::npos) << err;
  EXPECT_TRUE(first.running()) << "the second run returned while the first still held the lock";
  EXPECT_EQ(exit_code_of(first.wait()), 0) << file_text(dir.path() / "err");
  // The second run sent nothing: one Identify and one first page, both the first run's.
  const auto log = server_->requests();
  EXPECT_EQ(
      std::ranges::count_if(
          log, [](const auto& e) { return e.target.find("verb=Identify") != std::string::npos; }),
      1);
  EXPECT_EQ(
      std::ranges::count_if(
          log, [](const auto& e) { return e.target.find("resumptionToken") == std::string::npos; }),
      2);
}

}  // namespace
}  // namespace bzpeer::it
