// `bzpeer backup DIR`: a consistent copy of the store and the index made while readers
// search and writers harvest; restored into a new storage directory, it answers exports
// and searches exactly as the original.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "index/search/index_backup.hpp"
#include "index/search/search_index.hpp"
#include "index/store/store_backup.hpp"
#include "tests/integration/harvest_support.hpp"

namespace bzpeer::it {
namespace {

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout only
  std::string err;  ///< stderr
};

CmdResult run_bzpeer(const std::string& args, const fs::path& scratch) {
  const fs::path err_file = scratch / "stderr.txt";
  const std::string cmd =
      std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + " 2>" + err_file.string();
  CmdResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

std::string write_config(const fs::path& dir, const fs::path& storage) {
  const fs::path file = dir / (storage.filename().string() + ".toml");
  std::ofstream(file) << "[storage]\ndir = \"" << storage.string()
                      << "\"\n[harvest]\ncontact = \"test@localhost\"\n";
  return "--config " + file.string() + " ";
}

TEST(Backup, CopyMadeWhileAReaderSearchesRestoresToTheSameAnswers) {
  auto server = start_replay(sample_pages(), 100);
  Harness h("backup");
  ASSERT_EQ(h.harvest(server->base_url()).status, pipeline::HarvestStatus::ok);
  h.index();
  const fs::path storage = h.dir() / "var";
  const std::string original = write_config(h.dir(), storage);

  // A reader searches in a loop for the whole backup.
  std::atomic<bool> stop{false};
  std::atomic<int> searches{0}, failures{0};
  std::thread reader([&] {
    auto index = search::IndexReader::open(storage / "index");
    if (!index) {
      ++failures;
      return;
    }
    while (!stop) {
      search::SearchRequest request;
      request.query = "kepler planet";
      auto found = index->search(request);
      if (!found || found->hits.empty()) ++failures;
      ++searches;
    }
  });
  const fs::path backup = h.dir() / "backup";
  const auto made = run_bzpeer(original + "backup --pages-per-step 8 " + backup.string(), h.dir());
  stop = true;
  reader.join();
  ASSERT_EQ(made.code, 0) << made.out << made.err;
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_NE(made.out.find("store 509 works"), std::string::npos) << made.out;

  // The manifest says what was copied.
  std::ifstream manifest_in(backup / "manifest.json");
  const std::string manifest((std::istreambuf_iterator<char>(manifest_in)), {});
  EXPECT_NE(manifest.find("\"format\":\"bzpeer-backup/1\""), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"works\":509"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"documents\":509"), std::string::npos) << manifest;
  EXPECT_FALSE(fs::exists(backup / "store.sqlite-wal"));  // a standalone file

  // Restore into a new storage directory: copy store.sqlite and index/.
  const fs::path restored = h.dir() / "restored";
  fs::create_directories(restored);
  fs::copy_file(backup / "store.sqlite", restored / "store.sqlite");
  fs::copy(backup / "index", restored / "index", fs::copy_options::recursive);
  const std::string copy = write_config(h.dir(), restored);

  for (const std::string verb :
       {"export works", "export authors", "export authorships", "stats --json",
        "search --json --limit 20 'kepler planet'", "search --json --facets 'author:borucki'",
        "profile --json 'William J. Borucki'"}) {
    const auto before = run_bzpeer(original + verb, h.dir());
    const auto after = run_bzpeer(copy + verb, h.dir());
    ASSERT_EQ(before.code, 0) << verb << ": " << before.err;
    ASSERT_EQ(after.code, 0) << verb << ": " << after.err;
    EXPECT_FALSE(before.out.empty()) << verb;
    EXPECT_EQ(before.out, after.out) << verb;
  }
  const auto doctor = run_bzpeer(copy + "doctor", h.dir());
  EXPECT_EQ(doctor.code, 0) << doctor.out << doctor.err;
}

TEST(Backup, RefusesATargetThatIsNotEmpty) {
  Harness h("backup-target");
  const fs::path target = h.dir() / "full";
  fs::create_directories(target);
  std::ofstream(target / "keep.txt") << "x";
  const auto r =
      run_bzpeer(write_config(h.dir(), h.dir() / "var") + "backup " + target.string(), h.dir());
  EXPECT_EQ(r.code, 64) << r.err;
  EXPECT_NE(r.err.find("is not empty"), std::string::npos) << r.err;
  std::ifstream kept(target / "keep.txt");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(kept)), {}), "x");
}

TEST(Backup, StoreCopiesTakenDuringAHarvestAreEachOneCommittedState) {
  // A harvest commits page after page while copies are taken one page of the database at a
  // time; each copy must be one committed state: whole harvest pages (50 records), every
  // record with its work, and SQLite's integrity check passing.
  auto server = start_replay(sample_pages(), 50);
  Harness h("backup-live");
  const fs::path storage = h.dir() / "var";
  std::atomic<bool> done{false};
  std::thread writer([&] {
    auto summary = h.harvest(server->base_url());
    EXPECT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
    done = true;
  });
  int copies = 0;
  int mid_harvest = 0;
  while (!done || copies == 0) {
    const fs::path file = h.dir() / ("copy-" + std::to_string(copies++) + ".sqlite");
    auto stats = store::backup_store(storage, file, 1);
    if (!stats && stats.error().code == ErrorCode::not_found) {
      --copies;  // the harvest has not created the store yet
      continue;
    }
    ASSERT_TRUE(stats) << stats.error().describe();
    const fs::path check_dir = h.dir() / ("check-" + std::to_string(copies));
    fs::create_directories(check_dir);
    fs::rename(file, check_dir / "store.sqlite");
    auto copy = store::Store::open(check_dir, store::OpenMode::read_only);
    ASSERT_TRUE(copy) << copy.error().describe();
    auto counts = copy->stats();
    ASSERT_TRUE(counts) << counts.error().describe();
    EXPECT_EQ(counts->works, stats->works);
    EXPECT_EQ(counts->source_records, counts->works);  // the sample: one record per work
    EXPECT_TRUE(counts->works % 50 == 0 || counts->works == 509) << counts->works;
    if (counts->works > 0 && counts->works < 509) ++mid_harvest;
  }
  writer.join();
  EXPECT_GT(copies, 0);
  RecordProperty("copies", copies);
  RecordProperty("copies_mid_harvest", mid_harvest);
}

TEST(Backup, MissingStoreOrIndexIsNotFound) {
  Harness h("backup-missing");
  auto store = store::backup_store(h.dir() / "nowhere", h.dir() / "x.sqlite");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::not_found);
  auto index = search::backup_index(h.dir() / "nowhere" / "index", h.dir() / "out");
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace bzpeer::it
