// The query time limit: counting every match (facets) stops when it passes, the page still
// holds the best hits, and the response says the counts are partial.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search {
namespace {

using testing::ids;
using testing::TempDir;

std::uint64_t facet_sum(const SearchResponse& r, const std::string& name) {
  std::uint64_t sum = 0;
  for (const auto& v : r.facets.at(name)) sum += v.count;
  return sum;
}

TEST(SearchTimeLimit, FacetCountStopsAtTheLimitAndSaysSo) {
  // Enough work that visiting every match takes well over a millisecond (counting the
  // facets themselves is cheap: an id per match): each work is in 24 categories, and the
  // query ORs all 24, so the match merges 24 posting lists of 40,000 works. The query is
  // boolean (no weights), so once the limit passes Xapian stops at a full page.
  constexpr std::int64_t kWorks = 40000;
  TempDir dir;
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (std::int64_t id = 1; id <= kWorks; ++id) {
      IndexDocument d;
      d.work_id = id;
      d.year = 2000 + static_cast<int>(id % 20);
      d.type = id % 3 == 0 ? "article" : "preprint";
      d.categories = {id % 2 == 0 ? "hep-th" : "astro-ph.EP"};
      for (int c = 0; c < 24; ++c) d.categories.push_back("x-" + std::to_string(c));
      ASSERT_TRUE(writer->upsert(d));
    }
    ASSERT_TRUE(writer->commit());
  }
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);

  SearchRequest request;  // every work, with facets: a full count of 40,000 matches
  for (int c = 0; c < 24; ++c) request.query += "category:x-" + std::to_string(c) + " ";
  request.facets = true;
  request.limit = 10;
  request.facet_limit = 0;
  request.time_limit_ms = 0;  // no limit
  auto full = reader->search(request);
  ASSERT_TRUE(full) << full.error().describe();
  EXPECT_FALSE(full->truncated);
  EXPECT_EQ(full->total_estimate, static_cast<std::uint64_t>(kWorks));
  EXPECT_EQ(facet_sum(*full, "type"), static_cast<std::uint64_t>(kWorks));
  EXPECT_EQ(facet_sum(*full, "year"), static_cast<std::uint64_t>(kWorks));

  // A generous limit is not reached: the same exact answer.
  request.time_limit_ms = 60'000;
  auto generous = reader->search(request);
  ASSERT_TRUE(generous) << generous.error().describe();
  EXPECT_FALSE(generous->truncated);
  EXPECT_EQ(facet_sum(*generous, "type"), static_cast<std::uint64_t>(kWorks));

  // One millisecond: the count stops early; the page is the same best page.
  request.time_limit_ms = 1;
  auto cut = reader->search(request);
  ASSERT_TRUE(cut) << cut.error().describe();
  EXPECT_TRUE(cut->truncated);
  EXPECT_LT(facet_sum(*cut, "type"), static_cast<std::uint64_t>(kWorks));
  EXPECT_GE(facet_sum(*cut, "type"), cut->hits.size());
  EXPECT_EQ(ids(*cut), ids(*full));
}

/// Without facets nothing is counted exhaustively, so the limit never marks a response.
TEST(SearchTimeLimit, NoFacetsIsNeverTruncated) {
  TempDir dir;
  auto stats = rebuild(dir.path(), [n = std::size_t{0}](IndexDocument& out) mutable {
    const auto docs = testing::corpus();
    if (n == docs.size()) return false;
    out = docs[n++];
    return true;
  });
  ASSERT_TRUE(stats) << stats.error().describe();
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  SearchRequest request;
  request.query = "planet";
  request.time_limit_ms = 1;
  auto r = reader->search(request);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(r->truncated);
  EXPECT_FALSE(r->hits.empty());
  EXPECT_EQ(SearchRequest{}.time_limit_ms, kDefaultTimeLimitMs);
}

}  // namespace
}  // namespace bzpeer::search
