// Manual author overrides (`bzpeer author merge|split`) at the store level: they hold
// through re-harvests, incremental and full re-clusters, ids follow the rules (the merged
// id redirects, the split-off part gets its own id), contradicting overrides give way,
// and bad requests are refused with the right error. Also the schema migration that adds
// the override tables to a store made before them.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "index/queries/queries.hpp"
#include "index/store/author_overrides.hpp"
#include "index/store/store.hpp"
#include "index/store/store_impl.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

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
  r.record.datestamp = std::to_string(year) + "-03-0" + std::to_string(version);
  r.record.payload =
      "<arXivRaw><id>" + arxiv_id + "</id><v>" + std::to_string(version) + "</v></arXivRaw>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = "Study " + arxiv_id + " in " + category;
  w.first_date = std::to_string(year) + "-03-01";
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

class OverrideTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    store_.reset();
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
    consolidate();
  }

  void consolidate() {
    auto consolidated = store_->consolidate();
    ASSERT_TRUE(consolidated) << consolidated.error().describe();
  }

  /// A full re-cluster: every name block again.
  void recluster_all() {
    auto queued = store::queue_all_blocks(*store_);
    ASSERT_TRUE(queued) << queued.error().describe();
    EXPECT_GT(*queued, 0);
    consolidate();
  }

  /// Author ids under a family name, ascending.
  std::vector<std::int64_t> ids(const std::string& family) {
    auto found = queries::find_authors(*store_, family);
    EXPECT_TRUE(found) << family;
    std::vector<std::int64_t> out;
    if (found) {
      for (const auto& a : *found) out.push_back(a.author_id);
    }
    std::ranges::sort(out);
    return out;
  }

  /// The arXiv ids of an author's works (following redirects); `resolved` gets the id
  /// the profile answered with.
  std::set<std::string> works_of(std::int64_t id, std::int64_t* resolved = nullptr) {
    auto p = queries::profile(*store_, id);
    if (!p) return {};
    if (resolved) *resolved = p->author_id;
    std::set<std::string> out;
    for (const auto& w : p->works) out.insert(w.arxiv_id);
    return out;
  }

  /// The author of the mention of `family` on work `arxiv_id`.
  std::int64_t author_on(const std::string& arxiv_id, const std::string& family) {
    auto found = queries::find_authors(*store_, family);
    if (!found) return 0;
    for (const auto& a : *found) {
      if (works_of(a.author_id).contains(arxiv_id)) return a.author_id;
    }
    return 0;
  }

  TempDir dir_;
  std::optional<store::Store> store_;
};

// Two works that share only surname and initial: the clusterer keeps them apart.
const Name kSsLiu{"S. S.", "Schoenholz"};
const Name kSamuel{"Samuel S.", "Schoenholz"};
const Name kLiu{"Andrea", "Liu"};
const Name kSohl{"Jascha", "Sohl-Dickstein"};

TEST_F(OverrideTest, MergeHoldsThroughReharvestAndFullRecluster) {
  harvest({record("1301.0001", {kSsLiu, kLiu}, "cond-mat.soft", 2013),
           record("1901.0002", {kSamuel, kSohl}, "stat.ML", 2019)});
  const auto before = ids("Schoenholz");
  ASSERT_EQ(before.size(), 2u) << "precondition: the evidence alone keeps them apart";
  const auto a = author_on("1301.0001", "Schoenholz");
  const auto b = author_on("1901.0002", "Schoenholz");
  ASSERT_NE(a, b);

  auto merged = store::merge_authors(*store_, a, b);
  ASSERT_TRUE(merged) << merged.error().describe();
  EXPECT_EQ(merged->author_id, a);
  EXPECT_EQ(merged->mentions, 1);
  consolidate();
  EXPECT_EQ(ids("Schoenholz"), std::vector<std::int64_t>{a});
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1301.0001", "1901.0002"}));
  std::int64_t resolved = 0;
  EXPECT_EQ(works_of(b, &resolved).size(), 2u);
  EXPECT_EQ(resolved, a) << "B redirects to A";

  // New versions of both records (their authorships are rewritten) and a new work of the
  // stat.ML person: consolidation runs again on the block, the merge holds.
  harvest({record("1301.0001", {kSsLiu, kLiu}, "cond-mat.soft", 2013, 2),
           record("1901.0002", {kSamuel, kSohl}, "stat.ML", 2019, 2),
           record("2001.0003", {kSamuel, kSohl}, "stat.ML", 2020)});
  EXPECT_EQ(ids("Schoenholz"), std::vector<std::int64_t>{a});
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1301.0001", "1901.0002", "2001.0003"}));

  recluster_all();
  EXPECT_EQ(ids("Schoenholz"), std::vector<std::int64_t>{a});
  EXPECT_EQ(works_of(a).size(), 3u);

  // The store reopened (as by the next bzpeer run) still holds it.
  reopen();
  recluster_all();
  EXPECT_EQ(ids("Schoenholz"), std::vector<std::int64_t>{a});

  auto listed = store::author_overrides(*store_);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].kind, "merge");
  EXPECT_EQ((*listed)[0].author_id, a);
  EXPECT_EQ((*listed)[0].other_id, b);
  EXPECT_EQ((*listed)[0].current_id, a);
}

TEST_F(OverrideTest, WithoutTheOverrideTheRemovedMergeComesApart) {
  harvest({record("1301.0001", {kSsLiu, kLiu}, "cond-mat.soft", 2013),
           record("1901.0002", {kSamuel, kSohl}, "stat.ML", 2019)});
  const auto a = author_on("1301.0001", "Schoenholz");
  const auto b = author_on("1901.0002", "Schoenholz");
  auto merged = store::merge_authors(*store_, a, b);
  ASSERT_TRUE(merged) << merged.error().describe();
  consolidate();
  ASSERT_EQ(ids("Schoenholz").size(), 1u);

  auto removed = store::remove_author_override(*store_, merged->override_id);
  ASSERT_TRUE(removed) << removed.error().describe();
  consolidate();
  const auto after = ids("Schoenholz");
  ASSERT_EQ(after.size(), 2u) << "the evidence alone splits them again";
  EXPECT_EQ(author_on("1301.0001", "Schoenholz"), a) << "A keeps its id";
  EXPECT_EQ(author_on("1901.0002", "Schoenholz"), b) << "B is back, no longer a redirect";
  auto listed = store::author_overrides(*store_);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  auto again = store::remove_author_override(*store_, merged->override_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST_F(OverrideTest, SplitHoldsThroughReharvestAndFullRecluster) {
  const Name wei{"Wei", "Zhang"};
  const Name chen{"Xi", "Chen"};
  harvest({record("1501.0001", {wei, chen}, "hep-ph", 2015),
           record("1501.0002", {wei, chen}, "hep-ph", 2015),
           record("1501.0003", {wei, chen}, "hep-ph", 2015)});
  const auto before = ids("Zhang");
  ASSERT_EQ(before.size(), 1u) << "precondition: one author with a shared co-author";
  const auto a = before[0];

  auto split = store::split_author(*store_, a, {"1501.0003"});
  ASSERT_TRUE(split) << split.error().describe();
  const auto c = split->author_id;
  EXPECT_NE(c, a);
  EXPECT_EQ(split->mentions, 1);
  consolidate();
  EXPECT_EQ(ids("Zhang"), (std::vector<std::int64_t>{a, c}));
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1501.0001", "1501.0002"}));
  EXPECT_EQ(works_of(c), (std::set<std::string>{"1501.0003"}));
  // The collaboration table follows: Chen shares 2 works with A and 1 with C.
  auto p = queries::profile(*store_, a);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->collaborators.size(), 1u);
  EXPECT_EQ(p->collaborators[0].works, 2);

  recluster_all();
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1501.0001", "1501.0002"}));
  EXPECT_EQ(works_of(c), (std::set<std::string>{"1501.0003"}));

  // A new version of the split-off work, and a new work: the split holds, the new work
  // joins by evidence (the co-author) one of the two, never both.
  harvest({record("1501.0003", {wei, chen}, "hep-ph", 2015, 2),
           record("1601.0004", {wei, chen}, "hep-ph", 2016)});
  EXPECT_EQ(works_of(c).count("1501.0003"), 1u);
  EXPECT_EQ(works_of(a).count("1501.0003"), 0u);
  EXPECT_EQ(works_of(a).count("1501.0001") + works_of(c).count("1501.0001"), 1u);
  EXPECT_EQ(works_of(a).size() + works_of(c).size(), 4u);
  EXPECT_EQ(store::override_author(*store_, split->override_id).value_or(0), c);
}

TEST_F(OverrideTest, MergingBackWhatASplitSeparatedUndoesTheSplit) {
  const Name ana{"Ana", "Ruiz"};
  const Name bo{"Bo", "Lind"};
  harvest({record("1601.0001", {ana, bo}, "math.AG", 2016),
           record("1601.0002", {ana, bo}, "math.AG", 2016)});
  const auto a = ids("Ruiz").at(0);
  auto split = store::split_author(*store_, a, {"1601.0002"});
  ASSERT_TRUE(split) << split.error().describe();
  consolidate();
  ASSERT_EQ(ids("Ruiz").size(), 2u);

  auto merged = store::merge_authors(*store_, a, split->author_id);
  ASSERT_TRUE(merged) << merged.error().describe();
  ASSERT_EQ(merged->superseded.size(), 1u);
  EXPECT_NE(merged->superseded[0].find("split"), std::string::npos) << merged->superseded[0];
  consolidate();
  EXPECT_EQ(ids("Ruiz"), std::vector<std::int64_t>{a});
  auto listed = store::author_overrides(*store_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u) << "only the merge is left";
  EXPECT_EQ((*listed)[0].kind, "merge");
  std::int64_t resolved = 0;
  works_of(split->author_id, &resolved);
  EXPECT_EQ(resolved, a) << "the split-off id redirects to A";
}

TEST_F(OverrideTest, MergeAcrossNameBlocksHolds) {
  // One person published under two family names: two name blocks.
  const Name maiden{"Jane", "Smith"};
  const Name married{"Jane", "Jones"};
  const Name kim{"Mina", "Kim"};
  harvest({record("1701.0001", {maiden, kim}, "q-bio.NC", 2017),
           record("1901.0002", {married, {"Olu", "Ade"}}, "q-bio.NC", 2019)});
  const auto a = ids("Smith").at(0);
  const auto b = ids("Jones").at(0);
  auto merged = store::merge_authors(*store_, a, b);
  ASSERT_TRUE(merged) << merged.error().describe();
  consolidate();
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1701.0001", "1901.0002"}));
  EXPECT_TRUE(ids("Jones").empty() || ids("Jones") == std::vector<std::int64_t>{a});

  // A new Jones work with her co-author joins the Jones part by evidence, and so A.
  harvest({record("2001.0003", {married, {"Olu", "Ade"}}, "q-bio.NC", 2020),
           record("1701.0001", {maiden, kim}, "q-bio.NC", 2017, 2)});
  EXPECT_EQ(works_of(a), (std::set<std::string>{"1701.0001", "1901.0002", "2001.0003"}));
  recluster_all();
  EXPECT_EQ(works_of(a).size(), 3u);
  std::int64_t resolved = 0;
  works_of(b, &resolved);
  EXPECT_EQ(resolved, a);
}

TEST_F(OverrideTest, BadRequestsAreRefusedAndChangeNothing) {
  harvest({record("1301.0001", {kSsLiu, kLiu}, "cond-mat.soft", 2013),
           record("1301.0002", {kSsLiu, kLiu}, "cond-mat.soft", 2013),
           record("1901.0002", {kSamuel, kSohl}, "stat.ML", 2019)});
  const auto a = author_on("1301.0001", "Schoenholz");
  const auto b = author_on("1901.0002", "Schoenholz");
  const auto liu = ids("Liu").at(0);

  auto self = store::merge_authors(*store_, a, a);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(self.error().message.find("itself"), std::string::npos) << self.error().message;

  auto unknown = store::merge_authors(*store_, a, 987654);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_NE(unknown.error().message.find("987654"), std::string::npos);

  auto coauthors = store::merge_authors(*store_, a, liu);
  ASSERT_FALSE(coauthors);
  EXPECT_EQ(coauthors.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(coauthors.error().message.find("1301.000"), std::string::npos)
      << coauthors.error().message;

  auto not_his = store::split_author(*store_, a, {"1901.0002"});
  ASSERT_FALSE(not_his);
  EXPECT_EQ(not_his.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(not_his.error().message.find("1901.0002"), std::string::npos);

  auto everything = store::split_author(*store_, a, {"1301.0001", "1301.0002"});
  ASSERT_FALSE(everything);
  EXPECT_EQ(everything.error().code, ErrorCode::invalid_argument);

  auto no_work = store::split_author(*store_, a, {"9999.99999"});
  ASSERT_FALSE(no_work);
  EXPECT_EQ(no_work.error().code, ErrorCode::not_found);
  EXPECT_NE(no_work.error().message.find("9999.99999"), std::string::npos);

  auto listed = store::author_overrides(*store_);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  consolidate();
  EXPECT_EQ(ids("Schoenholz"), (std::vector<std::int64_t>{std::min(a, b), std::max(a, b)}));

  // Once merged, merging again is refused as "already one author", through the redirect.
  ASSERT_TRUE(store::merge_authors(*store_, a, b));
  consolidate();
  auto twice = store::merge_authors(*store_, b, a);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(twice.error().message.find("already one author"), std::string::npos);
}

TEST_F(OverrideTest, NewAuthorsNeverTakeARedirectedId) {
  // Co-authors whose name blocks sort first: the two Schoenholz ids are the highest.
  harvest({record("1301.0001", {kSsLiu, {"Andrea", "Abel"}}, "cond-mat.soft", 2013),
           record("1901.0002", {kSamuel, {"Jascha", "Baker"}}, "stat.ML", 2019)});
  const auto a = author_on("1301.0001", "Schoenholz");
  const auto b = author_on("1901.0002", "Schoenholz");
  const auto high = std::max(a, b);
  const auto low = std::min(a, b);
  ASSERT_GT(high, std::max(ids("Abel").at(0), ids("Baker").at(0)));
  // Merged into the lower id, the highest id is only a redirect now.
  ASSERT_TRUE(store::merge_authors(*store_, low, high));
  consolidate();
  harvest({record("2101.0001", {{"Zoe", "Quint"}}, "hep-th", 2021)});
  const auto quint = ids("Quint").at(0);
  EXPECT_GT(quint, high);
  std::int64_t resolved = 0;
  works_of(high, &resolved);
  EXPECT_EQ(resolved, low) << "the redirect still leads to the merged author";
}

TEST(OverrideSchema, AStoreMadeBeforeOverridesIsMigrated) {
  TempDir dir;
  {
    auto s = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(s) << s.error().describe();
    // Make it a version-1 store: no override tables.
    s->impl().db.exec(
        "DROP TABLE author_override_mentions; DROP TABLE author_overrides; "
        "UPDATE meta SET value='1' WHERE key='schema_version'");
  }
  {
    auto ro = store::Store::open(dir.path(), store::OpenMode::read_only);
    ASSERT_TRUE(ro);
    auto none = store::author_overrides(*ro);
    ASSERT_TRUE(none) << "an unmigrated store has no overrides, not an error";
    EXPECT_TRUE(none->empty());
  }
  auto s = store::Store::open(dir.path(), store::OpenMode::read_write);
  ASSERT_TRUE(s) << s.error().describe();
  auto q = s->impl().db.prepare("SELECT value FROM meta WHERE key='schema_version'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.get_text(0), std::to_string(store::kStoreSchemaVersion));
  auto t = s->impl().db.prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('author_overrides', "
      "'author_override_mentions')");
  ASSERT_TRUE(t.step());
  EXPECT_EQ(t.get_int(0), 2);
}

}  // namespace
}  // namespace bzpeer
