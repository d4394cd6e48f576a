// Hostile text in the store: SQL in names, titles and queries is bound as parameters, so
// it is stored and found as written and never runs; LIKE/GLOB wildcards match only
// themselves; a NUL byte does not cut a value short.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "index/queries/queries.hpp"
#include "index/queries/work.hpp"
#include "index/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

const std::string kDropName = "Robert Tables');DROP";
const std::string kDropTitle = "Title'); DELETE FROM works; -- \" OR 1=1";
const std::string kNulTitle("before\0after", 12);

store::MappedRecord record(const std::string& arxiv_id, const std::string& title,
                           std::vector<std::pair<std::string, std::string>> authors) {
  store::MappedRecord r;
  r.record.source = "arxiv";
  r.record.format = "arXivRaw";
  r.record.source_id = "oai:arXiv.org:" + arxiv_id + "' OR '1'='1";
  r.record.datestamp = "2011-02-03";
  r.record.payload = "<arXivRaw><id>" + arxiv_id + "</id></arXivRaw>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = title;
  w.first_date = "2011-02-01";
  w.year = 2011;
  w.categories = {"cs.DB"};
  int position = 0;
  for (auto& [given, family] : authors) {
    AuthorMention m;
    m.position = ++position;
    m.given = given;
    m.family = family;
    m.printed = given.empty() ? family : given + " " + family;
    w.authors.push_back(std::move(m));
  }
  r.work = std::move(w);
  return r;
}

class StoreHostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().describe();
    store_.emplace(std::move(*opened));
    std::vector<store::MappedRecord> page;
    page.push_back(record("1102.0001", kDropTitle, {{"Robert", "Tables');DROP"}}));
    page.push_back(record("1102.0002", kNulTitle, {{"Ann", "100%_Tables"}, {"Bo", "Smith"}}));
    page.push_back(record("1102.0003", "A plain work", {{"Carl", "Jones"}}));
    store::Checkpoint next;
    next.source = "arxiv";
    next.format = "arXivRaw";
    auto applied = store_->apply_page(page, next);
    ASSERT_TRUE(applied) << applied.error().describe();
    auto consolidated = store_->consolidate();
    ASSERT_TRUE(consolidated) << consolidated.error().describe();
  }

  std::vector<std::string> names(const std::string& query) {
    auto found = queries::find_authors(*store_, query);
    EXPECT_TRUE(found) << query << ": " << found.error().describe();
    std::vector<std::string> out;
    if (found) {
      for (const auto& a : *found) out.push_back(a.name);
    }
    return out;
  }

  TempDir dir_;
  std::optional<store::Store> store_;
};

TEST_F(StoreHostileTest, SqlInNamesIsStoredAndFoundAsWritten) {
  EXPECT_EQ(names(kDropName), std::vector<std::string>{kDropName});
  EXPECT_EQ(names("Smith"), std::vector<std::string>{"Bo Smith"});  // the table survived
  auto stats = store_->stats();
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->works, 3);
  EXPECT_EQ(stats->authors, 4);
}

TEST_F(StoreHostileTest, LikeWildcardsAndQuotesMatchOnlyThemselves) {
  EXPECT_TRUE(names("%").empty());
  EXPECT_TRUE(names("_").empty());
  EXPECT_TRUE(names("' OR '1'='1").empty());
  EXPECT_TRUE(names("*").empty());
  EXPECT_EQ(names("100%_Tables"), std::vector<std::string>{"Ann 100%_Tables"});
}

TEST_F(StoreHostileTest, TitlesWithSqlAndNulBytesComeBackExactly) {
  std::vector<std::string> titles;
  for (std::int64_t id = 1; id <= 3; ++id) {
    auto work = queries::work(*store_, id);
    ASSERT_TRUE(work) << work.error().describe();
    titles.push_back(work->title);
  }
  EXPECT_NE(std::find(titles.begin(), titles.end(), kDropTitle), titles.end());
  EXPECT_NE(std::find(titles.begin(), titles.end(), kNulTitle), titles.end());
}

TEST_F(StoreHostileTest, AuthorIdsThatAreNotNumbersAreRejected) {
  for (const std::string id :
       {"1 OR 1=1", "1; DROP TABLE authors", "../1", "99999999999999999999"}) {
    auto ref = queries::resolve_author(*store_, id);
    if (ref) {
      // A string that is not an id is read as a name; it must not match everyone.
      EXPECT_NE(ref->name, "Bo Smith") << id;
    } else {
      EXPECT_TRUE(ref.error().code == ErrorCode::not_found ||
                  ref.error().code == ErrorCode::invalid_argument)
          << id << ": " << ref.error().describe();
    }
  }
}

}  // namespace
}  // namespace bzpeer
