// PhraseRuns and the PhraseDfBuffer's spills: phrase_df changes written to disk as sorted
// runs and summed into phrase_df in one ordered pass, with the same result as writing
// each batch straight into phrase_df, and nothing counted twice or lost when the
// transaction that writes them fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "index/store/store_impl.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer::store {
namespace {

using test_support::TempDir;
namespace fs = std::filesystem;

std::map<std::string, std::int64_t> table(Connection& db) {
  std::map<std::string, std::int64_t> out;
  auto q = db.prepare("SELECT stem, df FROM phrase_df ORDER BY stem");
  while (q.step()) out.emplace(q.get_text(0), q.get_int(1));
  return out;
}

std::size_t files_in(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return 0;
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

/// The positive sums of `truth`: what phrase_df holds for a set of live works.
std::map<std::string, std::int64_t> positive(const std::map<std::string, std::int64_t>& truth) {
  std::map<std::string, std::int64_t> out;
  for (const auto& [key, n] : truth) {
    if (n > 0) out.emplace(key, n);
  }
  return out;
}

class PhraseRunsTest : public ::testing::Test {
 protected:
  PhraseRunsTest() : db_((dir_.path() / "store.sqlite").string(), false) { ensure_schema(db_); }
  TempDir dir_{"phrase-runs"};
  Connection db_;
};

TEST_F(PhraseRunsTest, RunsDirectoryIsBesideTheStoreFile) {
  EXPECT_EQ(phrase_runs_dir(db_), dir_.path() / "store.sqlite.phrase-runs");
}

TEST_F(PhraseRunsTest, SumsEachKeyOverEveryRunIntoAnEmptyTable) {
  // Keys that are prefixes of one another, the empty key (the corpus size), and counts
  // that cancel across runs: the merge must add them up key by key.
  std::mt19937 rng(11);
  std::map<std::string, std::int64_t> truth;
  PhraseRuns runs(phrase_runs_dir(db_));
  for (int run = 0; run < 4; ++run) {
    PhraseCounts batch;
    for (int i = 0; i < 5'000; ++i) {
      std::string key = "k" + std::to_string(rng() % 3'000);
      if (i % 4 == 0) key = key.substr(0, 2);
      batch.add(key, 1);
      truth[key] += 1;
    }
    batch.add("", 7);
    truth[""] += 7;
    batch.add("gone", run == 0 ? 1 : 0);  // zero counts are not written
    batch.add("cancelled", run % 2 == 0 ? 1 : -1);
    truth["gone"] += run == 0 ? 1 : 0;
    truth["cancelled"] += run % 2 == 0 ? 1 : -1;
    runs.spill(batch);
  }
  EXPECT_EQ(runs.size(), 4U);
  EXPECT_EQ(files_in(runs.dir()), 4U);
  Transaction tx(db_);
  runs.apply(db_);
  tx.commit();
  const auto got = table(db_);
  EXPECT_EQ(got, positive(truth));
  EXPECT_EQ(got.at(""), 28);
  EXPECT_FALSE(got.contains("cancelled"));
  EXPECT_EQ(got.at("gone"), 1);
}

TEST_F(PhraseRunsTest, AddsToAStoredTableAndDropsKeysThatFallToZero) {
  db_.exec("INSERT INTO phrase_df(stem, df) VALUES('', 10), ('dark matter', 3), ('qubit', 2)");
  PhraseRuns runs(phrase_runs_dir(db_));
  PhraseCounts first, second;
  first.add("", 2);
  first.add("qubit", -1);
  first.add("lattice", 1);
  second.add("qubit", -1);  // the last two works with "qubit" are gone
  second.add("dark matter", 1);
  second.add("lattice", 1);
  runs.spill(first);
  runs.spill(second);
  runs.apply(db_);
  EXPECT_EQ(table(db_),
            (std::map<std::string, std::int64_t>{{"", 12}, {"dark matter", 4}, {"lattice", 2}}));
}

TEST_F(PhraseRunsTest, FilesGoWithTheObjectThatOwnsThem) {
  const auto where = phrase_runs_dir(db_);
  PhraseCounts batch;
  batch.add("quantum", 1);
  {
    PhraseRuns runs(where);
    runs.spill(batch);
    runs.spill(batch);
    PhraseRuns moved = std::move(runs);
    EXPECT_TRUE(runs.empty());
    EXPECT_EQ(files_in(where), 2U);
    PhraseRuns adopted(where);
    adopted.adopt(moved);
    EXPECT_TRUE(moved.empty());
    EXPECT_EQ(adopted.size(), 2U);
    EXPECT_EQ(files_in(where), 2U);
  }
  EXPECT_EQ(files_in(where), 0U);
}

TEST_F(PhraseRunsTest, TruncatedRunIsAnErrorNamingTheFile) {
  const auto where = phrase_runs_dir(db_);
  PhraseRuns runs(where);
  PhraseCounts batch;
  for (int i = 0; i < 100; ++i) batch.add("phrase " + std::to_string(i), 1);
  runs.spill(batch);
  const auto file = fs::directory_iterator(where)->path();
  fs::resize_file(file, fs::file_size(file) - 3);
  try {
    runs.apply(db_);
    FAIL() << "a truncated run was applied";
  } catch (const SqliteError& e) {
    EXPECT_NE(e.message.find(file.string()), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
  }
}

TEST_F(PhraseRunsTest, UnwritableDirectoryIsAnErrorAndAddsNoRun) {
  const auto blocker = dir_.path() / "not-a-directory";
  std::ofstream(blocker) << "x";
  PhraseRuns runs(blocker / "runs");
  PhraseCounts batch;
  batch.add("quantum", 1);
  EXPECT_THROW(runs.spill(batch), SqliteError);
  EXPECT_TRUE(runs.empty());
}

/// A page of a harvest as the store writes it: its changes go to the buffer inside the
/// page's transaction.
void add_page(Connection& db, PhraseDfBuffer& buffer, const PhraseCounts& page) {
  Transaction tx(db);
  buffer.add(db, page);
  tx.commit();
}

TEST_F(PhraseRunsTest, BufferSpillsAndWritesEverythingOnceWhenConsolidationStarts) {
  auto buffer = PhraseDfBuffer::attach(dir_.path() / "store.sqlite", db_);
  std::map<std::string, std::int64_t> truth;
  std::mt19937 rng(3);
  for (int page = 0; page < 6; ++page) {
    PhraseCounts counts;
    for (int i = 0; i < 2'000; ++i) {
      const std::string key = "p" + std::to_string(rng() % 4'000);
      counts.add(key, 1);
      truth[key] += 1;
    }
    add_page(db_, *buffer, counts);
    if (page % 2 == 1) buffer->spill();  // as the store does when the buffer is full
  }
  EXPECT_EQ(files_in(phrase_runs_dir(db_)), 3U);
  EXPECT_TRUE(table(db_).empty());  // nothing in phrase_df before the write
  {
    Transaction tx(db_);
    auto taken = buffer->write(db_);
    EXPECT_EQ(taken.runs.size(), 3U);
    tx.commit();
  }  // the runs go once their transaction has committed
  EXPECT_EQ(table(db_), truth);
  EXPECT_EQ(files_in(phrase_runs_dir(db_)), 0U);
  EXPECT_TRUE(buffer->empty());
  auto q = db_.prepare("SELECT COUNT(*) FROM meta WHERE key='phrase_df_unflushed'");
  q.step();
  EXPECT_EQ(q.get_int(0), 0);
}

TEST_F(PhraseRunsTest, FailedWriteGivesRunsAndBufferBackWithoutCountingTwice) {
  auto buffer = PhraseDfBuffer::attach(dir_.path() / "store.sqlite", db_);
  PhraseCounts a, b;
  a.add("", 2);
  a.add("graph", 2);
  b.add("", 1);
  b.add("graph", 1);
  b.add("lattice", 1);
  add_page(db_, *buffer, a);
  buffer->spill();
  add_page(db_, *buffer, b);
  {
    PhraseDfBuffer::Taken taken;
    {
      Transaction tx(db_);
      taken = buffer->write(db_);
      EXPECT_EQ(table(db_).at("graph"), 3);
    }  // rolled back (consolidation failed)
    buffer->restore(std::move(taken));
  }
  EXPECT_TRUE(table(db_).empty());
  EXPECT_FALSE(buffer->empty());
  EXPECT_EQ(files_in(phrase_runs_dir(db_)), 2U);  // a's run, and b's spilled by the write
  {
    Transaction tx(db_);
    auto taken = buffer->write(db_);
    tx.commit();
  }
  EXPECT_EQ(table(db_),
            (std::map<std::string, std::int64_t>{{"", 3}, {"graph", 3}, {"lattice", 1}}));
  EXPECT_EQ(files_in(phrase_runs_dir(db_)), 0U);
}

TEST_F(PhraseRunsTest, LeftoverRunsOfAnotherProcessAreDeletedWhenTheStoreIsAttached) {
  const auto where = phrase_runs_dir(db_);
  fs::create_directories(where);
  std::ofstream(where / "run-1-0.bin") << "left by a process that died";
  auto buffer = PhraseDfBuffer::attach(dir_.path() / "store.sqlite", db_);
  EXPECT_EQ(files_in(where), 0U);
  EXPECT_FALSE(buffer->stale());  // no meta row: nothing was lost
}

}  // namespace
}  // namespace bzpeer::store
