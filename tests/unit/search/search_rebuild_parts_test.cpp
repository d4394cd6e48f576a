// A sharded rebuild writes each shard as several databases ("parts", a new one every
// RebuildOptions::part_documents works) and compacts them all. The result must be the
// index a single writer gives: the same documents, term for term, the same spelling data
// (each part holds the words of its own works; the compaction adds up their
// frequencies), and a work given again must replace its earlier version even when that
// version is in a part closed long before.
#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
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

using testing::corpus;
using testing::TempDir;

using testing::Contents;
using testing::contents_of;
using testing::feed;
using testing::hits;
using testing::Spelling;
using testing::spelling_of;

std::string letters(std::size_t n) {
  return testing::letters(n, "zr");
}

std::vector<IndexDocument> many_works(std::size_t n) {
  return testing::many_works(n, 5000, "zr");
}

/// Many small parts per shard, with works given again within a part and across parts,
/// give exactly the single writer's index, and Xapian's own spelling data.
TEST(SearchRebuildParts, ManyPartsSameIndexAsOneWriter) {
  constexpr std::size_t kWorks = 300;
  const std::vector<IndexDocument> first = many_works(kWorks);
  std::vector<IndexDocument> docs = first;
  // Later versions: work 5003 again at once (same part), 5010 again near the end (a part
  // closed long before), 5020 three times. The last version of each must win.
  const auto again = [&](std::size_t i, const std::string& word) {
    IndexDocument d = first[i];
    d.title = "Revised " + word;
    d.abstract = "A replacement abstract about " + word + " and planets.";
    return d;
  };
  docs.insert(docs.begin() + 4, again(3, "qxfirst"));
  docs.push_back(again(10, "qxsecond"));
  docs.insert(docs.begin() + 150, again(20, "qxthird"));
  docs.push_back(again(20, "qxfourth"));

  TempDir one, parts, reference;
  auto single = rebuild(one.path(), feed(docs), RebuildOptions{.shards = 1});
  ASSERT_TRUE(single) << single.error().describe();
  // About 100 works per shard in parts of 8, 10, 12, …: seven or eight parts each.
  auto sharded =
      rebuild(parts.path(), feed(docs), RebuildOptions{.shards = 3, .part_documents = 8});
  ASSERT_TRUE(sharded) << sharded.error().describe();
  EXPECT_EQ(single->documents, kWorks);
  EXPECT_EQ(sharded->documents, kWorks);
  // Only the build remains: shards and parts are gone.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(parts.path() / "builds")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  {
    // Xapian's own spelling path, word by word (build_document without a collector sets
    // FLAG_SPELLING), for every version given.
    Xapian::WritableDatabase db(reference.path().string(), Xapian::DB_CREATE);
    auto terms = make_term_generator(db);
    for (const auto& d : docs) db.replace_document(id_term(d.work_id), build_document(d, terms));
    db.commit();
  }

  const Xapian::Database a((one.path() / "current").string());
  const Xapian::Database b((parts.path() / "current").string());
  EXPECT_EQ(a.get_doccount(), kWorks);
  EXPECT_EQ(b.get_doccount(), kWorks);
  EXPECT_EQ(b.get_total_length(), a.get_total_length());
  const auto in_a = contents_of(a);
  const auto in_b = contents_of(b);
  ASSERT_EQ(in_a.size(), kWorks);
  EXPECT_TRUE(in_a == in_b) << "documents differ between one writer and the parts";

  const Spelling expected = spelling_of(Xapian::Database(reference.path().string()));
  EXPECT_EQ(expected.at(letters(7)), 1u);  // in one title only
  EXPECT_EQ(expected.at("qxthird"), 2u);   // in a replaced version: still counted
  EXPECT_EQ(spelling_of(a), expected);
  EXPECT_EQ(spelling_of(b), expected);

  auto ra = IndexReader::open(one.path());
  auto rb = IndexReader::open(parts.path());
  ASSERT_TRUE(ra && rb);
  // Only the last version of a work given again is found.
  EXPECT_EQ(hits(*rb, "title:qxfirst").size(), 1u);
  EXPECT_EQ(hits(*rb, "title:qxsecond").size(), 1u);
  EXPECT_TRUE(hits(*rb, "title:qxthird").empty());
  EXPECT_EQ(hits(*rb, "title:qxfourth").size(), 1u);
  EXPECT_TRUE(hits(*rb, "title:" + letters(10)).empty());  // 5010's first title
  const std::vector<std::string> queries{
      "planets",       "\"cluster algebras\"",  "author:kedem",     letters(299),
      "title:qxfirst", "title:" + letters(100), "category:math.CO", "year:2009..2012"};
  for (const auto& q : queries) {
    const auto found = hits(*ra, q);
    EXPECT_FALSE(found.empty()) << q;
    EXPECT_EQ(hits(*rb, q), found) << q;
  }
  SearchRequest misspelt;
  misspelt.query = "positivitx";
  auto sa = ra->search(misspelt);
  auto sb = rb->search(misspelt);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sa->suggestion, "positivity");
  EXPECT_EQ(sb->suggestion, sa->suggestion);
}

}  // namespace
}  // namespace bzpeer::search
