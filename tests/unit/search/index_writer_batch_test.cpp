// The incremental writer commits in batches and counts spelling words per batch; it must
// give exactly the index a rebuild gives, and exactly the spelling data of Xapian's own
// per-word FLAG_SPELLING.
#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "index/search/document_builder.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"
#include "tests/unit/search/index_contents.hpp"

namespace bzpeer::search {
namespace {

namespace fs = std::filesystem;
using testing::corpus;
using testing::TempDir;

using testing::Contents;
using testing::contents_of;
using testing::feed;
using testing::hits;
using testing::Spelling;
using testing::spelling_of;

std::string letters(std::size_t n) {
  return testing::letters(n, "zq");
}

std::vector<IndexDocument> many_works(std::size_t n) {
  return testing::many_works(n, 1000, "zq");
}

/// More than two batches through the incremental writer give the same index as a sharded
/// rebuild: the same works under the same ids, the same terms, positions, values and data
/// in each document, the same answers and suggestions; and the spelling data, counted per
/// batch, is what Xapian's per-word FLAG_SPELLING adds.
TEST(SearchIndexWriterBatches, SameIndexAsRebuildAndSameSpellingAsXapian) {
  const auto docs = many_works(2 * IndexWriter::kCommitEvery + 77);
  TempDir incremental, rebuilt, reference;
  {
    auto writer = IndexWriter::open(incremental.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (const auto& d : docs) ASSERT_TRUE(writer->upsert(d));
    ASSERT_TRUE(writer->remove(docs[3].work_id));  // a removal in the last batch
    ASSERT_TRUE(writer->commit());
  }
  std::vector<IndexDocument> kept = docs;
  kept.erase(kept.begin() + 3);
  auto stats = rebuild(rebuilt.path(), feed(kept), RebuildOptions{.shards = 2});
  ASSERT_TRUE(stats) << stats.error().describe();
  {
    // Xapian's own spelling path, document by document (build_document without a collector
    // sets FLAG_SPELLING), for the words of every work given to the writer.
    Xapian::WritableDatabase db(reference.path().string(), Xapian::DB_CREATE);
    auto terms = make_term_generator(db);
    for (const auto& d : docs) db.replace_document(id_term(d.work_id), build_document(d, terms));
    db.commit();
  }

  const Xapian::Database a((incremental.path() / "current").string());
  const Xapian::Database b((rebuilt.path() / "current").string());
  const Xapian::Database ref(reference.path().string());
  EXPECT_EQ(a.get_doccount(), kept.size());
  EXPECT_EQ(b.get_doccount(), kept.size());
  EXPECT_EQ(a.get_total_length(), b.get_total_length());
  const auto in_a = contents_of(a);
  const auto in_b = contents_of(b);
  ASSERT_EQ(in_a.size(), kept.size());
  std::set<std::int64_t> expected_ids, ids_a;
  for (const auto& d : kept) expected_ids.insert(d.work_id);
  for (const auto& [id, c] : in_a) ids_a.insert(id);
  EXPECT_EQ(ids_a, expected_ids);
  EXPECT_TRUE(in_a == in_b) << "documents differ between the incremental and the rebuilt index";

  // The removed work's words stay in the spelling data, as with Xapian's own path (spelling
  // data counts what was indexed, not what remains).
  const Spelling expected = spelling_of(ref);
  ASSERT_GT(expected.size(), 2 * IndexWriter::kCommitEvery);
  EXPECT_EQ(expected.at(letters(600)), 1u);  // in one title only
  EXPECT_EQ(spelling_of(a), expected);

  auto ra = IndexReader::open(incremental.path());
  auto rb = IndexReader::open(rebuilt.path());
  ASSERT_TRUE(ra && rb);
  const std::vector<std::string> queries{
      "planets",        "\"cluster algebras\"",   "author:kedem",
      letters(600),     "title:" + letters(1000), "category:math.CO",
      "year:2009..2012"};
  for (const auto& q : queries) {
    const auto found = hits(*ra, q);
    EXPECT_FALSE(found.empty()) << q;
    EXPECT_EQ(found, hits(*rb, q)) << q;
  }
  SearchRequest misspelt;
  misspelt.query = "positivitx";
  auto sa = ra->search(misspelt);
  auto sb = rb->search(misspelt);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sa->suggestion, "positivity");
  EXPECT_EQ(sb->suggestion, sa->suggestion);
}

/// The writer commits by itself every kCommitEvery changes, spelling data included, so a
/// crash loses at most the last batch; the rest becomes visible at commit().
TEST(SearchIndexWriterBatches, CommitsFullBatchesByItself) {
  const auto docs = many_works(IndexWriter::kCommitEvery + 10);
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer) << writer.error().describe();
  for (const auto& d : docs) ASSERT_TRUE(writer->upsert(d));
  {
    const Xapian::Database seen((dir.path() / "current").string());
    EXPECT_EQ(seen.get_doccount(), IndexWriter::kCommitEvery);
    const Spelling words = spelling_of(seen);
    EXPECT_EQ(words.count(letters(0)), 1u);                              // first batch
    EXPECT_EQ(words.count(letters(IndexWriter::kCommitEvery + 5)), 0u);  // not committed yet
  }
  ASSERT_TRUE(writer->commit());
  const Xapian::Database seen((dir.path() / "current").string());
  EXPECT_EQ(seen.get_doccount(), docs.size());
  EXPECT_EQ(spelling_of(seen).count(letters(IndexWriter::kCommitEvery + 5)), 1u);
}

/// Destroying a writer without commit() keeps documents and their spelling words together
/// (Xapian commits the documents; the writer adds the batch's words first).
TEST(SearchIndexWriterBatches, DestructorKeepsSpellingWithDocuments) {
  const auto docs = many_works(20);
  TempDir dir;
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (const auto& d : docs) ASSERT_TRUE(writer->upsert(d));
  }
  const Xapian::Database seen((dir.path() / "current").string());
  EXPECT_EQ(seen.get_doccount(), docs.size());
  EXPECT_EQ(spelling_of(seen).count(letters(19)), 1u);
}

}  // namespace
}  // namespace bzpeer::search
