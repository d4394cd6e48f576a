// Crash consistency (issue 11): the real `bzpeer` killed with SIGKILL at random instants of
// a harvest (while it fetches and stores pages), of the consolidation and indexing that end
// a harvest, and of `bzpeer rebuild`. After each kill it runs again to completion, and then
//  (a) SQLite's PRAGMA integrity_check is ok;
//  (b) the index agrees with the store: as many documents as works, the same work ids, and
//      every document shows what an uninterrupted run indexed for that work (title, year,
//      type, categories, authors and their author ids);
//  (c) `bzpeer export works|authorships|authors` is byte-identical to an uninterrupted run.
// A killed rebuild must also leave an index that opens and answers right away (with the
// build that was live, unless the kill came after the swap), and the next rebuild must
// discard what the killed one left behind.
//
// The instants come from a seeded RNG (the seed is printed; BZPEER_CRASH_SEED=N repeats the
// draws) and each trial prints its phase and instant. Harvest: after the n-th request the
// replay server answered, plus a delay below one page's time. Consolidation: after the
// harvest's summary line, plus a delay below the consolidation time of an uninterrupted run.
// Rebuild: a delay below the time of an uninterrupted rebuild. The phase a kill landed in is
// read from the process's log (and, for a rebuild, from `current`), not assumed.
//
// Data: the sample's first page file (102 records) in pages of 10, so that more than 50
// trials fit in about a minute (each one harvests and consolidates a fresh store; the whole
// sample costs seconds per trial). harvest_kill_test.cpp kills a full-sample harvest.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harvest_support.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::it {
namespace {

constexpr int kPageSize = 10;

#if defined(__SANITIZE_ADDRESS__)
// Sanitizer builds run every process several times slower: fewer trials (the Release
// build runs the full count).
constexpr int kHarvestTrials = 6;
constexpr int kConsolidationTrials = 5;
constexpr int kRebuildTrials = 6;
#else
constexpr int kHarvestTrials = 18;
constexpr int kConsolidationTrials = 16;
constexpr int kRebuildTrials = 18;
#endif
constexpr int kMaxDraws = 6;  ///< draws per trial when the process ends before the kill

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

/// The three exports, as `bzpeer export` prints them.
struct Exports {
  std::string works, authorships, authors;
  bool operator==(const Exports&) const = default;
};

/// The build a stub file under the index root names ("auto builds/<name>"; "" if none).
std::string stub_build(const fs::path& stub) {
  const std::string text = file_text(stub);
  const auto at = text.find("builds/");
  if (at == std::string::npos) return "";
  const auto end = text.find('\n', at);
  return text.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}
std::string live_build(const fs::path& index_root) {
  return stub_build(index_root / "current");
}
std::string previous_build(const fs::path& index_root) {
  return stub_build(index_root / "previous");
}

std::set<std::string> builds_on_disk(const fs::path& index_root) {
  std::set<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(index_root / "builds", ec), end; !ec && it != end;
       it.increment(ec)) {
    names.insert(it->path().filename().string());
  }
  return names;
}

class CrashTrials : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(bzpeer_exe())) << bzpeer_exe() << " is not built";
    fs::create_directories(pages_.path());
    fs::copy_file(sample_pages() / "page-001.xml", pages_.path() / "page-001.xml");
    server_ = start_replay(pages_.path(), kPageSize);
  }

  /// What the index under `storage` holds, one line per document in work id order; empty
  /// with a failure when it cannot be read. Also checks it against the store: as many
  /// documents as works, and the same work ids.
  static std::vector<std::string> index_lines(const fs::path& storage) {
    std::vector<std::string> lines;
    auto store = store::Store::open(storage, store::OpenMode::read_only);
    EXPECT_TRUE(store) << store.error().describe();
    if (!store) return lines;
    std::set<std::int64_t> store_ids;
    auto exported = queries::export_works(
        *store, [&](const queries::ExportWork& w) { store_ids.insert(w.work_id); });
    EXPECT_TRUE(exported) << exported.error().describe();

    auto reader = search::IndexReader::open(storage / "index");
    EXPECT_TRUE(reader) << reader.error().describe();
    if (!reader) return lines;
    const std::uint64_t documents = reader->document_count();
    EXPECT_EQ(documents, store_ids.size()) << "documents in the index vs works in the store";
    search::SearchRequest all;  // the empty query matches every document
    all.limit = static_cast<std::size_t>(documents) + 10;
    all.suggest_below = 0;
    all.time_limit_ms = 0;
    auto found = reader->search(all);
    EXPECT_TRUE(found) << found.error().describe();
    if (!found) return lines;
    std::set<std::int64_t> index_ids;
    std::map<std::int64_t, std::string> by_id;
    for (const auto& hit : found->hits) {
      EXPECT_TRUE(index_ids.insert(hit.work_id).second) << "work " << hit.work_id << " twice";
      std::string line = std::to_string(hit.work_id) + "|" + hit.arxiv_id + "|" + hit.title + "|" +
                         std::to_string(hit.year) + "|" + hit.type + "|" +
                         (hit.withdrawn ? "withdrawn" : "live");
      for (const auto& c : hit.categories) line += "|cat:" + c;
      for (std::size_t i = 0; i < hit.authors.size(); ++i) {
        line += "|" + hit.authors[i] + "#" +
                (i < hit.author_ids.size() ? std::to_string(hit.author_ids[i]) : "?");
      }
      by_id[hit.work_id] = std::move(line);
    }
    EXPECT_EQ(index_ids, store_ids) << "work ids in the index vs in the store";
    for (auto& [id, line] : by_id) lines.push_back(std::move(line));
    return lines;
  }

  static Exports exports(const std::string& config, const fs::path& scratch) {
    Exports e;
    const std::string exe = bzpeer_exe();
    EXPECT_EQ(run_process({exe, "--config", config, "export", "works"}, scratch, &e.works), 0);
    EXPECT_EQ(
        run_process({exe, "--config", config, "export", "authorships"}, scratch, &e.authorships),
        0);
    EXPECT_EQ(run_process({exe, "--config", config, "export", "authors"}, scratch, &e.authors), 0);
    return e;
  }

  /// (a), (b) and (c) for the storage under `dir`.
  void check_storage(const fs::path& dir, const std::string& config) {
    EXPECT_EQ(store_integrity(dir / "var"), "ok\n");
    EXPECT_EQ(index_lines(dir / "var"), clean_index_);
    EXPECT_TRUE(exports(config, dir) == clean_exports_) << "the exports differ from a clean run";
  }

  /// Waits until `ready()` or the process exits, polling every 0.5 ms (at most 60 s).
  template <class Ready>
  static void wait_for(Process& p, Ready&& ready) {
    const auto give_up = Clock::now() + std::chrono::seconds(60);
    while (p.running() && !ready() && Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  }

  TempDir pages_{"crash-pages"};
  std::unique_ptr<replay::ReplayServer> server_;
  std::vector<std::string> clean_index_;
  Exports clean_exports_;
};

TEST_F(CrashTrials, KilledAtRandomInstantsOfHarvestConsolidationAndRebuild) {
  const auto test_started = Clock::now();
  const std::string exe = bzpeer_exe();
  std::uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("BZPEER_CRASH_SEED")) seed = std::strtoull(s, nullptr, 10);
  std::printf("[ crash    ] seed %llu (BZPEER_CRASH_SEED=%llu repeats these draws)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::mt19937_64 rng(seed);

  // An uninterrupted run: the reference, and how long each phase takes.
  TempDir clean("crash-clean");
  const std::string clean_config = write_cli_config(clean.path(), server_->base_url());
  server_->clear_requests();
  double harvest_ms = 0, consolidate_ms = 0, rebuild_ms = 0;
  {
    const auto t0 = Clock::now();
    Process p({exe, "--config", clean_config, "harvest"}, clean.path() / "out",
              clean.path() / "err");
    ASSERT_TRUE(p.started());
    wait_for(p, [&] { return contains(file_text(clean.path() / "err"), "harvest arxiv:"); });
    const auto t1 = Clock::now();
    ASSERT_EQ(exit_code_of(p.wait()), 0) << file_text(clean.path() / "err");
    harvest_ms = Ms(t1 - t0).count();
    consolidate_ms = Ms(Clock::now() - t1).count();
    const auto t2 = Clock::now();
    std::string err;
    ASSERT_EQ(run_process({exe, "--config", clean_config, "rebuild"}, clean.path(), nullptr, &err),
              0)
        << err;
    rebuild_ms = Ms(Clock::now() - t2).count();
  }
  const int requests = static_cast<int>(server_->requests().size());  // Identify + pages
  ASSERT_GE(requests, 11);
  const double page_ms = harvest_ms / requests;
  clean_index_ = index_lines(clean.path() / "var");
  ASSERT_EQ(clean_index_.size(), 102u);
  clean_exports_ = exports(clean_config, clean.path());
  ASSERT_EQ(std::count(clean_exports_.works.begin(), clean_exports_.works.end(), '\n'), 102);
  std::printf(
      "[ crash    ] uninterrupted run: harvest %.0f ms (%d requests), consolidation and "
      "indexing %.0f ms, rebuild %.0f ms\n",
      harvest_ms, requests, consolidate_ms, rebuild_ms);

  std::map<std::string, int> landed;  // phase a kill landed in -> kills
  int trial = 0, misses = 0;
  const int planned = kHarvestTrials + kConsolidationTrials + kRebuildTrials;

  // --- harvests killed while fetching and storing pages, or in their consolidation ------
  const auto harvest_trial = [&](bool in_consolidation) {
    ++trial;
    TempDir dir("crash-h");
    const std::string config = write_cli_config(dir.path(), server_->base_url());
    const std::vector<std::string> harvest = {exe, "--config", config, "harvest"};
    bool killed = false;
    std::string instant, phase;
    for (int draw = 0; draw < kMaxDraws && !killed; ++draw) {
      fs::remove_all(dir.path() / "var");
      server_->clear_requests();
      const int after = std::uniform_int_distribution<int>(1, requests)(rng);
      const double delay = std::uniform_real_distribution<double>(
          0, in_consolidation ? consolidate_ms : page_ms)(rng);
      Process p(harvest, dir.path() / "out", dir.path() / "err");
      ASSERT_TRUE(p.started());
      if (in_consolidation) {
        instant = "summary line + " + std::to_string(static_cast<int>(delay)) + " ms";
        wait_for(p, [&] { return contains(file_text(dir.path() / "err"), "harvest arxiv:"); });
      } else {
        instant = "request " + std::to_string(after) + " + " +
                  std::to_string(static_cast<int>(delay)) + " ms";
        wait_for(p, [&] { return static_cast<int>(server_->requests().size()) >= after; });
      }
      std::this_thread::sleep_for(Ms(delay));
      killed = p.kill9();
      if (!killed) ++misses;
    }
    ASSERT_TRUE(killed) << "the harvest always ended before the kill";
    const std::string err = file_text(dir.path() / "err");
    phase = !contains(err, "harvest arxiv:") ? "harvest"
            : contains(err, "consolidated")  ? "after indexing"
                                             : "consolidation";
    ++landed[phase];
    std::printf("[ crash    ] trial %2d/%d %-13s killed at %s (landed in %s)\n", trial, planned,
                in_consolidation ? "consolidation" : "harvest", instant.c_str(), phase.c_str());
    std::fflush(stdout);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + phase + " at " + instant);
    EXPECT_EQ(store_integrity(dir.path() / "var"), "ok\n") << "right after the kill";
    std::string out;
    ASSERT_EQ(run_process(harvest, dir.path(), nullptr, &out), 0) << out;
    check_storage(dir.path(), config);
  };
  for (int i = 0; i < kHarvestTrials; ++i) harvest_trial(false);
  for (int i = 0; i < kConsolidationTrials; ++i) harvest_trial(true);

  // --- rebuilds killed at random instants, on the clean run's storage ------------------
  const fs::path index_root = clean.path() / "var" / "index";
  for (int i = 0; i < kRebuildTrials; ++i) {
    ++trial;
    const std::string before = live_build(index_root);
    ASSERT_FALSE(before.empty());
    bool killed = false;
    double delay = 0;
    for (int draw = 0; draw < kMaxDraws && !killed; ++draw) {
      delay = std::uniform_real_distribution<double>(0, rebuild_ms)(rng);
      Process p({exe, "--config", clean_config, "rebuild"}, clean.path() / "out",
                clean.path() / "err");
      ASSERT_TRUE(p.started());
      std::this_thread::sleep_for(Ms(delay));
      killed = p.kill9();
      if (!killed) ++misses;
    }
    ASSERT_TRUE(killed) << "the rebuild always ended before the kill";
    const std::string live = live_build(index_root);
    const std::string phase = live == before ? "rebuild" : "rebuild after the swap";
    ++landed[phase];
    std::printf("[ crash    ] trial %2d/%d %-13s killed at %d ms (landed in %s)\n", trial, planned,
                "rebuild", static_cast<int>(delay), phase.c_str());
    std::fflush(stdout);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + phase + " at " + std::to_string(delay) +
                 " ms");
    // The index answers at once, from a complete build, as before the rebuild.
    EXPECT_EQ(store_integrity(clean.path() / "var"), "ok\n");
    EXPECT_EQ(index_lines(clean.path() / "var"), clean_index_) << "right after the kill";
    std::set<std::string> left_behind = builds_on_disk(index_root);
    left_behind.erase(live);
    left_behind.erase(previous_build(index_root));

    std::string out;
    ASSERT_EQ(run_process({exe, "--config", clean_config, "rebuild"}, clean.path(), nullptr, &out),
              0)
        << out;
    const std::string now_live = live_build(index_root);
    EXPECT_NE(now_live, live);
    EXPECT_EQ(previous_build(index_root), live) << "the build live after the kill is kept";
    EXPECT_EQ(builds_on_disk(index_root), (std::set<std::string>{now_live, live}))
        << "what the killed rebuild left is discarded";
    for (const auto& name : left_behind) {
      EXPECT_FALSE(fs::exists(index_root / "builds" / name)) << name;
    }
    check_storage(clean.path(), clean_config);
  }

  int kills = 0;
  std::string summary;
  for (const auto& [phase, n] : landed) {
    kills += n;
    summary += " " + phase + "=" + std::to_string(n);
  }
  std::printf(
      "[ crash    ] %d kills (%d draws ended before the kill and were redrawn):%s; %.1f s\n", kills,
      misses, summary.c_str(), Ms(Clock::now() - test_started).count() / 1000);
  EXPECT_EQ(kills, planned);
  // Every phase was hit (the phase is read from the log, so a loaded machine may shift a
  // few kills to the next phase, but not most of them).
  EXPECT_GE(landed["harvest"], kHarvestTrials / 2);
  EXPECT_GE(landed["consolidation"], kConsolidationTrials / 2);
  EXPECT_GE(landed["rebuild"], kRebuildTrials / 2);
}

}  // namespace
}  // namespace bzpeer::it
