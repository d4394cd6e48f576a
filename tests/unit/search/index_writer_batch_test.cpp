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

namespace bzpeer::search {
namespace {

namespace fs = std::filesystem;
using testing::corpus;
using testing::TempDir;

/// A word made of letters only (the tokeniser keeps it whole), different for each n.
std::string letters(std::size_t n) {
  std::string word = "zq";
  do {
    word.push_back(static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n != 0);
  return word;
}

/// `n` works: the ten real ones over and over, each with its own id, a word of its own in
/// the title and a shared one in the abstract, so batches differ and words repeat.
std::vector<IndexDocument> many_works(std::size_t n) {
  const auto base = corpus();
  std::vector<IndexDocument> docs;
  for (std::size_t i = 0; i < n; ++i) {
    IndexDocument d = base[i % base.size()];
    d.work_id = static_cast<std::int64_t>(1000 + i);
    d.title += " " + letters(i);
    d.abstract += " " + letters(i % 7);
    docs.push_back(std::move(d));
  }
  return docs;
}

std::function<bool(IndexDocument&)> feed(const std::vector<IndexDocument>& docs) {
  auto next = std::make_shared<std::size_t>(0);
  return [next, &docs](IndexDocument& out) {
    if (*next == docs.size()) return false;
    out = docs[(*next)++];
    return true;
  };
}

using Spelling = std::map<std::string, Xapian::doccount>;

Spelling spelling_of(const Xapian::Database& db) {
  Spelling words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
}

/// Everything a document holds: terms with wdf and positions, values, data.
struct Contents {
  std::vector<std::tuple<std::string, Xapian::termcount, std::vector<Xapian::termpos>>> terms;
  std::map<Xapian::valueno, std::string> values;
  std::string data;
  bool operator==(const Contents&) const = default;
};

/// Each work's document by work id (the Q term), read from the live build.
std::map<std::int64_t, Contents> contents_of(const Xapian::Database& db) {
  std::map<std::int64_t, Contents> out;
  for (auto q = db.allterms_begin("Q"); q != db.allterms_end("Q"); ++q) {
    auto posting = db.postlist_begin(*q);
    EXPECT_EQ(db.get_termfreq(*q), 1u) << *q;
    const Xapian::Document doc = db.get_document(*posting);
    Contents c;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      std::vector<Xapian::termpos> positions(t.positionlist_begin(), t.positionlist_end());
      c.terms.emplace_back(*t, t.get_wdf(), std::move(positions));
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) c.values[v.get_valueno()] = *v;
    c.data = doc.get_data();
    out[std::stoll((*q).substr(1))] = std::move(c);
  }
  return out;
}

/// The works a query finds, each with its weight (rounded: the same statistics give the
/// same weight, but equal weights may come in either order between two indexes).
std::map<std::int64_t, long long> hits(IndexReader& reader, const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 5000;
  auto response = reader.search(request);
  EXPECT_TRUE(response) << query << ": " << response.error().describe();
  std::map<std::int64_t, long long> out;
  if (!response) return out;
  for (const auto& hit : response->hits) out[hit.work_id] = std::llround(hit.weight * 1e6);
  return out;
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
