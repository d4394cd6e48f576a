// Readers keep answering while the index changes under them: one thread searches without
// pause while the main thread runs a rebuild, an incremental update (replaced, deleted and
// added works, committed in batches, as a harvest does) and a second rebuild.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"
#include "tests/unit/search/index_contents.hpp"

namespace bzpeer::search {
namespace {

using testing::corpus;
using testing::TempDir;

/// `n` works with ids 1..n, each a copy of one of the ten corpus works.
std::vector<IndexDocument> many_works(std::int64_t first, std::int64_t last) {
  const auto base = corpus();
  std::vector<IndexDocument> docs;
  for (std::int64_t id = first; id <= last; ++id) {
    IndexDocument d = base[static_cast<std::size_t>(id) % base.size()];
    d.work_id = id;
    d.arxiv_id = "2401." + std::to_string(10000 + id);
    docs.push_back(std::move(d));
  }
  return docs;
}

using testing::feed;

/// What the searching thread saw.
struct Observed {
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::uint64_t> counts;  ///< total of every match-all query, in order
  std::uint64_t queries = 0;
  std::atomic<bool> saw_new_work{false};
  std::uint64_t count_when_new_work_seen = 0;
  bool old_count_after_new_work = false;  ///< an older build answered after the swap
};

TEST(SearchConcurrency, QueriesNeverFailAcrossRebuildsAndIncrementalUpdates) {
  TempDir dir;
  constexpr std::int64_t kWorks = 400;
  const auto initial = many_works(1, kWorks);
  auto first = rebuild(dir.path(), feed(initial), RebuildOptions{.shards = 2});
  ASSERT_TRUE(first) << first.error().describe();

  // The "store" the second rebuild reads: the works after the incremental update, plus one
  // new work no build has yet.
  IndexDocument zebrafish = corpus()[0];
  zebrafish.work_id = 9000;
  zebrafish.title = "Zebrafish fin regeneration";

  Observed seen;
  std::atomic<bool> stop{false};
  std::jthread searcher([&] {
    auto reader = IndexReader::open(dir.path());
    if (!reader) {
      std::lock_guard lock(seen.mu);
      seen.failures.push_back("open: " + reader.error().describe());
      return;
    }
    while (!stop) {
      // The marker first: once it finds the new work, the count after it must come from
      // the last build too (builds only move forward here).
      SearchRequest marker;
      marker.query = "title:zebrafish";
      auto found = reader->search(marker);
      SearchRequest all;  // empty query: every work
      all.limit = 5;
      all.facets = true;  // an exact count: every match is visited
      all.time_limit_ms = 0;
      auto everything = reader->search(all);
      std::lock_guard lock(seen.mu);
      ++seen.queries;
      if (!everything) {
        seen.failures.push_back("match-all: " + everything.error().describe());
        continue;
      }
      if (!found) {
        seen.failures.push_back("title:zebrafish: " + found.error().describe());
        continue;
      }
      const std::uint64_t total = everything->total_estimate;
      seen.counts.push_back(total);
      std::uint64_t typed = 0;  // every work has a type, so the type facet sums to the total
      for (const auto& v : everything->facets.at("type")) typed += v.count;
      if (typed != total || everything->hits.size() != std::min<std::uint64_t>(5, total)) {
        seen.failures.push_back("inconsistent answer: total " + std::to_string(total) + ", " +
                                std::to_string(typed) + " typed, " +
                                std::to_string(everything->hits.size()) + " hits");
      }
      if (seen.saw_new_work && (found->hits.empty() || total != seen.count_when_new_work_seen)) {
        seen.old_count_after_new_work = true;
      }
      if (!found->hits.empty() && !seen.saw_new_work) {
        if (found->hits.size() != 1 || found->hits[0].work_id != 9000) {
          seen.failures.push_back("title:zebrafish found something else");
        }
        seen.count_when_new_work_seen = total;
        seen.saw_new_work = true;
      }
    }
  });

  // 1. A rebuild of the same works.
  auto again = rebuild(dir.path(), feed(initial), RebuildOptions{.shards = 2});
  ASSERT_TRUE(again) << again.error().describe();

  // 2. The harvest path: replace 100 works, delete 50, add 30, committing each batch.
  std::set<std::uint64_t> allowed{kWorks};
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (auto doc : many_works(1, 100)) {
      doc.title += " revised";
      ASSERT_TRUE(writer->upsert(doc));
    }
    ASSERT_TRUE(writer->commit());
    for (std::int64_t id = 101; id <= 150; ++id) ASSERT_TRUE(writer->remove(id));
    ASSERT_TRUE(writer->commit());
    allowed.insert(kWorks - 50);
    for (const auto& doc : many_works(kWorks + 1, kWorks + 30)) ASSERT_TRUE(writer->upsert(doc));
    ASSERT_TRUE(writer->commit());
    allowed.insert(kWorks - 50 + 30);
    EXPECT_EQ(writer->document_count(), kWorks - 50 + 30);
  }

  // 3. A second rebuild from the updated "store" with the new work.
  std::vector<IndexDocument> store = many_works(1, 100);
  for (auto& doc : store) doc.title += " revised";
  for (auto& doc : many_works(151, kWorks + 30)) store.push_back(std::move(doc));
  store.push_back(zebrafish);
  auto second = rebuild(dir.path(), feed(store), RebuildOptions{.shards = 2});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->documents, kWorks - 50 + 30 + 1);
  allowed.insert(second->documents);

  // The searching reader picks up the swapped build on its own.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!seen.saw_new_work && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  searcher.join();

  std::lock_guard lock(seen.mu);
  EXPECT_TRUE(seen.failures.empty())
      << seen.failures.size()
      << " failures, first: " << (seen.failures.empty() ? "" : seen.failures.front());
  EXPECT_TRUE(seen.saw_new_work) << "the reader never saw the second rebuild";
  EXPECT_EQ(seen.count_when_new_work_seen, second->documents);
  EXPECT_FALSE(seen.old_count_after_new_work);
  EXPECT_GT(seen.queries, 3u);
  for (const auto count : seen.counts) {
    EXPECT_TRUE(allowed.contains(count)) << "a match-all query counted " << count;
  }
  // The counts only move forward through the states the index went through.
  std::vector<std::uint64_t> distinct;
  for (const auto count : seen.counts) {
    if (distinct.empty() || distinct.back() != count) distinct.push_back(count);
  }
  EXPECT_LE(distinct.size(), 4u);
}

}  // namespace
}  // namespace bzpeer::search
