// PhraseCounts: the open-addressing table that holds phrase_df changes (a page's, and
// the buffer's across pages) before they are written in key order.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "index/store/store_impl.hpp"

namespace bzpeer::store {
namespace {

std::map<std::string, std::int64_t> as_map(const PhraseCounts& counts) {
  std::map<std::string, std::int64_t> out;
  for (const auto& e : counts.entries()) {
    EXPECT_TRUE(out.emplace(std::string(counts.key(e)), e.count).second)
        << "key stored twice: " << counts.key(e);
  }
  return out;
}

TEST(PhraseCountsTest, AddsAndReadsBackCountsPerKeyIncludingTheEmptyKey) {
  PhraseCounts c;
  EXPECT_EQ(c.get("quantum"), 0);
  c.add("quantum", 1);
  c.add("quantum dot", 1);
  c.add("quantum", 2);
  c.add("", 1);  // the corpus size lives under the empty key
  c.add("quantum dot", -1);
  EXPECT_EQ(c.get("quantum"), 3);
  EXPECT_EQ(c.get("quantum dot"), 0);  // back to zero: kept, and skipped when written
  EXPECT_EQ(c.get(""), 1);
  EXPECT_EQ(c.get("quantu"), 0);
  EXPECT_EQ(c.size(), 3U);
}

TEST(PhraseCountsTest, AgreesWithAMapOverManyKeysThroughGrowthMergeAndUndo) {
  // Enough keys to grow the table many times; prefixes of one another on purpose.
  std::mt19937 rng(7);
  std::map<std::string, std::int64_t> truth;
  PhraseCounts page, buffer;
  for (int i = 0; i < 50'000; ++i) {
    std::string key = "k" + std::to_string(rng() % 20'000);
    if (i % 3 == 0) key += " " + key.substr(0, 1 + i % 4);
    const std::int64_t delta = static_cast<std::int64_t>(rng() % 5) - 2;
    page.add(key, delta);
    truth[key] += delta;
  }
  EXPECT_EQ(as_map(page), truth);
  buffer.merge(page);
  buffer.merge(page);
  buffer.merge(page, -1);  // a page whose transaction failed gives its changes back
  EXPECT_EQ(as_map(buffer), truth);
  for (const auto& [key, count] : truth) ASSERT_EQ(buffer.get(key), count) << key;
}

TEST(PhraseCountsTest, ClearedOrMovedFromTablesStartAgainEmpty) {
  PhraseCounts c;
  c.reserve(100);
  for (int i = 0; i < 100; ++i) c.add("key " + std::to_string(i), i);
  PhraseCounts taken = std::move(c);
  c.clear();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.get("key 5"), 0);
  c.add("key 5", 1);
  EXPECT_EQ(c.get("key 5"), 1);
  EXPECT_EQ(taken.get("key 5"), 5);
  taken.clear();
  EXPECT_EQ(taken.get("key 5"), 0);
  EXPECT_EQ(taken.size(), 0U);
  taken.add("key 5", 2);
  EXPECT_EQ(taken.get("key 5"), 2);
}

}  // namespace
}  // namespace bzpeer::store
