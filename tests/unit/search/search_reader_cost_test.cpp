// Tests for what keeps a search cheap without changing its answers: facets counted from a
// per-revision FacetTable (exact, and following every commit), and spelling lookups only
// for words that few works contain.
#include <gtest/gtest.h>

#include <xapian.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "index/search/facets.hpp"
#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search {
namespace {

using testing::corpus;
using testing::TempDir;
using Tally = std::map<std::string, std::uint64_t>;

Tally tally(const std::vector<FacetValue>& values) {
  Tally out;
  for (const auto& v : values) out[v.value] = v.count;
  return out;
}

/// What a facet should count over `ids`, read document by document.
Tally expected(const Xapian::Database& db, const FacetSpec& spec,
               const std::vector<Xapian::docid>& ids) {
  Tally out;
  for (const Xapian::docid id : ids) {
    const std::string value = db.get_document(id).get_value(slot(spec.slot));
    if (value.empty()) continue;
    if (spec.kind == FacetSlotKind::number) {
      ++out[std::to_string(std::llround(Xapian::sortable_unserialise(value)))];
      continue;
    }
    std::size_t from = 0;
    while (true) {
      const auto cut = spec.kind == FacetSlotKind::list ? value.find(kValueListSeparator, from)
                                                        : std::string::npos;
      const std::string item = value.substr(from, cut == std::string::npos ? cut : cut - from);
      if (!item.empty()) ++out[item];
      if (cut == std::string::npos) break;
      from = cut + 1;
    }
  }
  return out;
}

void write(const TempDir& dir, const std::vector<IndexDocument>& docs) {
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer) << writer.error().describe();
  for (const auto& doc : docs) ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
}

/// The table and the value-stream fallback count exactly what the documents hold, for
/// every facet, over all documents, some and none.
TEST(SearchReaderCost, FacetTableCountsWhatTheDocumentsHold) {
  TempDir dir;
  write(dir, corpus());
  Xapian::Database db((dir.path() / "current").string());
  ASSERT_EQ(db.get_doccount(), 10u);
  std::vector<Xapian::docid> all;
  std::vector<Xapian::docid> odd;
  for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
    all.push_back(id);
    if (id % 2 == 1) odd.push_back(id);
  }
  const FacetTable table = FacetTable::load(db);
  for (std::size_t f = 0; f < std::size(kFacets); ++f) {
    for (const auto* ids : {&all, &odd}) {
      const Tally want = expected(db, kFacets[f], *ids);
      EXPECT_FALSE(want.empty()) << kFacets[f].name;
      EXPECT_EQ(tally(table.count(f, *ids, 0)), want) << kFacets[f].name;
      EXPECT_EQ(tally(count_facet(db, kFacets[f], *ids, 0)), want) << kFacets[f].name;
    }
    EXPECT_TRUE(table.count(f, {}, 0).empty());
  }
  // Ranked most frequent first, ties by value, and cut at the limit.
  const auto years = table.count(0, all, 2);
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].value, "2010");
  EXPECT_EQ(years[1].value, "2011");
  EXPECT_EQ(years[0].count, 4u);
}

/// Readers of one revision of one index share one table; a commit, another source (a
/// copy of the index) or a database of several shards never share it.
TEST(SearchReaderCost, ReadersOfOneRevisionShareOneFacetTable) {
  TempDir dir;
  write(dir, corpus());
  const std::string stub = (dir.path() / "current").string();
  Xapian::Database one(stub);
  Xapian::Database two(stub);
  FacetCache a;
  FacetCache b;
  const auto shared = a.get(one, "root");
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(b.get(two, "root"), shared);
  EXPECT_NE(b.get(two, "copy"), shared);

  auto added = corpus()[0];
  added.work_id = 11;
  write(dir, {added});
  two.reopen();
  const auto next = b.get(two, "root");
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next, shared);
  EXPECT_EQ(a.get(one, "root"), shared);  // `one` still has the older revision open
  EXPECT_EQ(next->count(0, {11}, 0).size(), 1u);

  Xapian::Database both(stub);
  both.add_database(Xapian::Database(stub));
  EXPECT_EQ(a.get(both, "root"), nullptr);
}

/// One reader, facets before and after commits that add, change and remove works: the
/// counts always follow the committed index.
TEST(SearchReaderCost, FacetsFollowEveryCommit) {
  TempDir dir;
  write(dir, corpus());
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  SearchRequest request;
  request.facets = true;
  request.facet_limit = 0;
  const auto facet = [&](const std::string& name) {
    auto r = reader->search(request);
    EXPECT_TRUE(r) << r.error().describe();
    return r ? tally(r->facets.at(name)) : Tally{};
  };
  EXPECT_EQ(facet("year")["2010"], 4u);
  EXPECT_EQ(facet("category").count("q-bio.NC"), 0u);

  auto added = corpus()[0];
  added.work_id = 11;
  added.year = 2010;
  added.categories = {"q-bio.NC"};
  write(dir, {added});
  EXPECT_EQ(facet("year")["2010"], 5u);
  EXPECT_EQ(facet("category")["q-bio.NC"], 1u);

  added.year = 2024;  // the same work again, changed
  write(dir, {added});
  EXPECT_EQ(facet("year")["2010"], 4u);
  EXPECT_EQ(facet("year")["2024"], 1u);

  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->remove(11));
    ASSERT_TRUE(writer->commit());
  }
  EXPECT_EQ(facet("year").count("2024"), 0u);
  EXPECT_EQ(facet("category").count("q-bio.NC"), 0u);
  Tally by_year = facet("year");
  std::uint64_t works = 0;
  for (const auto& [year, n] : by_year) works += n;
  EXPECT_EQ(works, 10u);
}

/// "Did you mean" looks a word up only when fewer than 1 in 10,000 works contain it: a
/// word that is absent, or a typo a few works share, gets a suggestion; a word that
/// enough works contain gets none, even when a more frequent word is one letter away.
TEST(SearchReaderCost, SpellingLooksUpOnlyRareWords) {
  TempDir dir;
  std::vector<IndexDocument> docs;
  const auto titled = [&](std::int64_t id, const std::string& title) {
    IndexDocument d;
    d.work_id = id;
    d.title = title;
    docs.push_back(d);
  };
  std::int64_t id = 0;
  for (int i = 0; i < 10; ++i) titled(++id, "A transiting planet");
  for (int i = 0; i < 3; ++i) titled(++id, "A planer surface");  // 3 works: 1 in 10,000
  for (int i = 0; i < 2; ++i) titled(++id, "A planett typo");    // 2 works: fewer
  // Bare works make up the 30,000 that the 1 in 10,000 is counted against.
  while (id < 30000) {
    IndexDocument d;
    d.work_id = ++id;
    docs.push_back(d);
  }
  write(dir, docs);
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  const auto suggestion = [&](const std::string& query, std::uint64_t found) {
    SearchRequest request;
    request.query = query;
    auto r = reader->search(request);
    EXPECT_TRUE(r) << r.error().describe();
    if (!r) return std::string("<error>");
    EXPECT_EQ(r->total_estimate, found) << query;  // each finds fewer than suggest_below
    return r->suggestion;
  };
  EXPECT_EQ(suggestion("planeet", 0), "planet");  // in no work
  EXPECT_EQ(suggestion("planett", 2), "planet");  // a typo in 2 works of 30,000
  EXPECT_EQ(suggestion("planer", 3), "");         // 3 works of 30,000 use it: spelt right
}

}  // namespace
}  // namespace bzpeer::search
