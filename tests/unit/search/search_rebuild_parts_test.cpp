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

namespace bzpeer::search {
namespace {

using testing::corpus;
using testing::TempDir;

/// A word made of letters only (the tokeniser keeps it whole), different for each n.
std::string letters(std::size_t n) {
  std::string word = "zr";
  do {
    word.push_back(static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n != 0);
  return word;
}

/// `n` works: the ten real ones over and over, each with its own id, a word of its own in
/// the title and one shared by every seventh work in the abstract.
std::vector<IndexDocument> many_works(std::size_t n) {
  const auto base = corpus();
  std::vector<IndexDocument> docs;
  for (std::size_t i = 0; i < n; ++i) {
    IndexDocument d = base[i % base.size()];
    d.work_id = static_cast<std::int64_t>(5000 + i);
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

/// Each work's document by work id (the Q term); every id must be found exactly once.
std::map<std::int64_t, Contents> contents_of(const Xapian::Database& db) {
  std::map<std::int64_t, Contents> out;
  for (auto q = db.allterms_begin("Q"); q != db.allterms_end("Q"); ++q) {
    EXPECT_EQ(db.get_termfreq(*q), 1u) << *q;
    const Xapian::Document doc = db.get_document(*db.postlist_begin(*q));
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

/// The works a query finds with their weights (rounded: equal weights may come in either
/// order between two indexes).
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
