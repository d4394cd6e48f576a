// Consolidation across harvests: new mentions join the existing author, ids survive a
// re-harvest and a re-cluster, a merge leaves a redirect behind and a split keeps the id
// with the larger part.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <set>
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

struct Name {
  std::string given, family, orcid = {};
};

/// One arXiv record; `version` changes the payload so that a re-harvest is a real update.
store::MappedRecord record(const std::string& arxiv_id, const std::vector<Name>& names,
                           const std::string& category, int year, int version = 1) {
  store::MappedRecord r;
  r.record.source = "arxiv";
  r.record.format = "arXivRaw";
  r.record.source_id = "oai:arXiv.org:" + arxiv_id;
  r.record.datestamp = std::to_string(year) + "-02-0" + std::to_string(version);
  r.record.payload =
      "<arXivRaw><id>" + arxiv_id + "</id><v>" + std::to_string(version) + "</v></arXivRaw>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = "Work " + arxiv_id + " on " + category;
  w.first_date = std::to_string(year) + "-02-01";
  w.year = year;
  w.categories = {category};
  int position = 0;
  for (const auto& n : names) {
    AuthorMention m;
    m.position = ++position;
    m.given = n.given;
    m.family = n.family;
    m.printed = n.given + " " + n.family;
    m.orcid = n.orcid;
    w.authors.push_back(std::move(m));
  }
  r.work = std::move(w);
  return r;
}

class ConsolidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().describe();
    store_.emplace(std::move(*opened));
  }

  void harvest(const std::vector<store::MappedRecord>& page) {
    store::Checkpoint next;
    next.source = "arxiv";
    next.format = "arXivRaw";
    auto applied = store_->apply_page(page, next);
    ASSERT_TRUE(applied) << applied.error().describe();
    auto consolidated = store_->consolidate();
    ASSERT_TRUE(consolidated) << consolidated.error().describe();
  }

  /// Authors found under a family name: id → number of works.
  std::vector<queries::AuthorRef> authors(const std::string& family) {
    auto found = queries::find_authors(*store_, family);
    EXPECT_TRUE(found) << family;
    auto out = found ? *found : std::vector<queries::AuthorRef>{};
    std::ranges::sort(out, [](const auto& a, const auto& b) { return a.author_id < b.author_id; });
    return out;
  }

  /// The arXiv ids of an author's works, following redirects; empty when unknown.
  std::set<std::string> works_of(std::int64_t id, std::int64_t* resolved = nullptr) {
    auto p = queries::profile(*store_, id);
    if (!p) return {};
    if (resolved) *resolved = p->author_id;
    std::set<std::string> out;
    for (const auto& w : p->works) out.insert(w.arxiv_id);
    return out;
  }

  TempDir dir_;
  std::optional<store::Store> store_;
};

const Name kNatalie{"Natalie M.", "Batalha"};
const Name kBorucki{"William J.", "Borucki"};
const Name kKoch{"David", "Koch"};

TEST_F(ConsolidateTest, NewMentionsJoinTheExistingAuthorAndIdsSurviveReharvest) {
  harvest({record("1102.0001", {kNatalie, kBorucki}, "astro-ph.EP", 2011),
           record("1102.0002", {kNatalie, kBorucki, kKoch}, "astro-ph.EP", 2011),
           record("1102.0003", {{"Nathan", "Batalha"}, {"Ana", "Ruiz"}}, "hep-th", 2011)});
  const auto before = authors("Batalha");
  ASSERT_EQ(before.size(), 2u);
  const auto natalie = before[0].works == 2 ? before[0].author_id : before[1].author_id;
  const auto nathan = before[0].works == 2 ? before[1].author_id : before[0].author_id;
  EXPECT_EQ(works_of(natalie), (std::set<std::string>{"1102.0001", "1102.0002"}));

  // A later harvest: a new work (another form of her name, a shared co-author) and a new
  // version of one of her works (its authorships are rewritten).
  harvest({record("1203.0004", {{"N. M.", "Batalha"}, kKoch}, "astro-ph.EP", 2012),
           record("1102.0002", {kNatalie, kBorucki, kKoch}, "astro-ph.EP", 2011, 2)});
  const auto after = authors("Batalha");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].author_id, before[0].author_id);
  EXPECT_EQ(after[1].author_id, before[1].author_id);
  EXPECT_EQ(works_of(natalie), (std::set<std::string>{"1102.0001", "1102.0002", "1203.0004"}));
  EXPECT_EQ(works_of(nathan), (std::set<std::string>{"1102.0003"}));

  // Re-harvesting every record of an author (all her authorships rewritten) keeps her id.
  harvest({record("1102.0001", {kNatalie, kBorucki}, "astro-ph.EP", 2011, 3),
           record("1102.0002", {kNatalie, kBorucki, kKoch}, "astro-ph.EP", 2011, 3),
           record("1203.0004", {{"N. M.", "Batalha"}, kKoch}, "astro-ph.EP", 2012, 3)});
  std::int64_t resolved = 0;
  EXPECT_EQ(works_of(natalie, &resolved).size(), 3u);
  EXPECT_EQ(resolved, natalie) << "the id itself survives, not only through a redirect";
}

TEST_F(ConsolidateTest, MergeRedirectsTheAbsorbedId) {
  // Two works with nothing in common but the surname and initial: two authors.
  harvest({record("1301.0001", {{"S. S.", "Schoenholz"}, {"Andrea", "Liu"}}, "cond-mat.soft", 2013),
           record("1901.0002", {{"Samuel S.", "Schoenholz"}, {"Jascha", "Sohl-Dickstein"}},
                  "stat.ML", 2019)});
  const auto before = authors("Schoenholz");
  ASSERT_EQ(before.size(), 2u);
  // New versions carry the same ORCID on both: one person, one id; the other redirects.
  const std::string orcid = "0000-0002-1825-0097";
  harvest({record("1301.0001", {{"S. S.", "Schoenholz", orcid}, {"Andrea", "Liu"}}, "cond-mat.soft",
                  2013, 2),
           record("1901.0002", {{"Samuel S.", "Schoenholz", orcid}, {"Jascha", "Sohl-Dickstein"}},
                  "stat.ML", 2019, 2)});
  const auto after = authors("Schoenholz");
  ASSERT_EQ(after.size(), 1u);
  const auto survivor = after[0].author_id;
  EXPECT_TRUE(survivor == before[0].author_id || survivor == before[1].author_id)
      << "the merged author keeps one of the earlier ids";
  const auto gone = survivor == before[0].author_id ? before[1].author_id : before[0].author_id;
  std::int64_t resolved = 0;
  EXPECT_EQ(works_of(gone, &resolved), (std::set<std::string>{"1301.0001", "1901.0002"}));
  EXPECT_EQ(resolved, survivor) << "the absorbed id redirects to the survivor";
}

TEST_F(ConsolidateTest, SplitKeepsTheIdWithTheLargerPart) {
  const Name wei{"Wei", "Zhang"};
  const Name chen{"Xi", "Chen"};
  harvest({record("1501.0001", {wei, chen}, "hep-ph", 2015),
           record("1501.0002", {wei, chen}, "hep-ph", 2015),
           record("1501.0003", {wei, chen}, "hep-ph", 2015)});
  const auto before = authors("Zhang");
  ASSERT_EQ(before.size(), 1u);
  const auto id = before[0].author_id;
  // New versions reveal two people: different ORCIDs cannot be one person.
  harvest(
      {record("1501.0001", {{"Wei", "Zhang", "0000-0001-5109-3700"}, chen}, "hep-ph", 2015, 2),
       record("1501.0002", {{"Wei", "Zhang", "0000-0001-5109-3700"}, chen}, "hep-ph", 2015, 2),
       record("1501.0003", {{"Wei", "Zhang", "0000-0003-1415-9269"}, chen}, "hep-ph", 2015, 2)});
  const auto after = authors("Zhang");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].author_id, id) << "the larger part keeps the id";
  EXPECT_EQ(works_of(id), (std::set<std::string>{"1501.0001", "1501.0002"}));
  EXPECT_EQ(works_of(after[1].author_id), (std::set<std::string>{"1501.0003"}));
  EXPECT_GT(after[1].author_id, id);
}

}  // namespace
}  // namespace bzpeer
