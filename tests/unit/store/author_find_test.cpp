// Tests for queries::find_authors: name queries find author profiles, variants included,
// whatever the case, accents or form of the name.
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
#include "index/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

AuthorMention mention(int position, std::string printed, std::string given, std::string family) {
  AuthorMention m;
  m.position = position;
  m.printed = std::move(printed);
  m.given = std::move(given);
  m.family = std::move(family);
  return m;
}

store::MappedRecord record(const std::string& arxiv_id, std::vector<AuthorMention> authors) {
  store::MappedRecord r;
  r.record.source = "arxiv";
  r.record.format = "arXivRaw";
  r.record.source_id = "oai:arXiv.org:" + arxiv_id;
  r.record.datestamp = "2011-02-03";
  r.record.payload = "<arXivRaw><id>" + arxiv_id + "</id></arXivRaw>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = "A work numbered " + arxiv_id;
  w.first_date = "2011-02-01";
  w.year = 2011;
  w.categories = {"astro-ph.EP"};
  w.authors = std::move(authors);
  r.work = std::move(w);
  return r;
}

class FindAuthorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().describe();
    store_.emplace(std::move(*opened));
    std::vector<store::MappedRecord> page;
    page.push_back(
        record("1102.0291", {mention(1, "William J. Borucki", "William J.", "Borucki"),
                             mention(2, "Samuel S. Schönholz", "Samuel S.", "Schönholz")}));
    page.push_back(record("1102.0541", {mention(1, "W. Borucki", "W.", "Borucki"),
                                        mention(2, "Samuel S. Schönholz", "Samuel S.", "Schönholz"),
                                        mention(3, "P. Di Francesco", "P.", "Di Francesco")}));
    page.push_back(
        record("1102.0543", {mention(1, "W. J. Borucki", "W. J.", "Borucki"),
                             mention(2, "Samuel S. Schönholz", "Samuel S.", "Schönholz")}));
    page.push_back(record("1102.0544", {mention(1, "Thomas Borucki", "Thomas", "Borucki")}));
    store::Checkpoint next;
    next.source = "arxiv";
    next.format = "arXivRaw";
    auto applied = store_->apply_page(page, next);
    ASSERT_TRUE(applied) << applied.error().describe();
    auto consolidated = store_->consolidate();
    ASSERT_TRUE(consolidated) << consolidated.error().describe();
  }

  std::vector<queries::AuthorRef> find(const std::string& query) {
    auto found = queries::find_authors(*store_, query);
    EXPECT_TRUE(found) << query << ": " << found.error().describe();
    return found ? *found : std::vector<queries::AuthorRef>{};
  }

  /// The names found for `query`, in order.
  std::vector<std::string> names(const std::string& query) {
    std::vector<std::string> out;
    for (const auto& a : find(query)) out.push_back(a.name);
    return out;
  }

  TempDir dir_;
  std::optional<store::Store> store_;
};

/// Every usual way of writing William J. Borucki finds him, first, as one author.
TEST_F(FindAuthorsTest, FormsOfOneName) {
  const auto all = find("borucki");
  ASSERT_EQ(all.size(), 2u);  // William J. (three works) and Thomas
  EXPECT_EQ(all[0].name, "William J. Borucki");
  EXPECT_EQ(all[0].works, 3);
  const std::int64_t william = all[0].author_id;
  for (const std::string query :
       {"Borucki", "BORUCKI", "W. Borucki", "William Borucki", "William J. Borucki",
        "W. J. Borucki", "Borucki, William", "  william   borucki ", "Boru"}) {
    const auto found = find(query);
    ASSERT_FALSE(found.empty()) << query;
    EXPECT_EQ(found.front().author_id, william) << query;
  }
  // A given name that does not fit leaves him out.
  EXPECT_EQ(names("T. Borucki"), (std::vector<std::string>{"Thomas Borucki"}));
  EXPECT_EQ(names("William Boruckx"), (std::vector<std::string>{}));
}

/// Accents and their spelled-out forms are not told apart in queries.
TEST_F(FindAuthorsTest, AccentInsensitive) {
  for (const std::string query : {"Schönholz", "schonholz", "SCHÖNHOLZ", "S. Schonholz"}) {
    const auto found = names(query);
    ASSERT_EQ(found.size(), 1u) << query;
    EXPECT_NE(found[0].find("Sch"), std::string::npos) << query;
  }
}

/// A family name with a particle is found by its whole name, too.
TEST_F(FindAuthorsTest, FamilyNameWithParticle) {
  EXPECT_EQ(names("Di Francesco"), (std::vector<std::string>{"P. Di Francesco"}));
  EXPECT_EQ(names("P. Di Francesco"), (std::vector<std::string>{"P. Di Francesco"}));
  EXPECT_TRUE(names("nobody").empty());
  EXPECT_TRUE(names("").empty());
}

/// A found author comes with its name variants.
TEST_F(FindAuthorsTest, VariantsOfFoundAuthor) {
  const auto found = find("W. Borucki");
  ASSERT_FALSE(found.empty());
  std::vector<std::string> variants = found.front().variants;
  std::sort(variants.begin(), variants.end());
  EXPECT_EQ(variants,
            (std::vector<std::string>{"W. Borucki", "W. J. Borucki", "William J. Borucki"}));
}

}  // namespace
}  // namespace bzpeer
