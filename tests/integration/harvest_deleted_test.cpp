// Deletions and withdrawals end to end: the replay server first serves 1102.0541 live and
// 1101.2483 without its withdrawal version, then (a second page set) 1102.0541 as a
// status="deleted" header and 1101.2483 as recorded, withdrawn in v4. The deleted work
// becomes a tombstone and leaves search, the authors' profiles and collaborator counts;
// the withdrawn one stays, flagged.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "harvest_support.hpp"
#include "index/queries/queries.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::it {
namespace {

std::set<std::string> search_ids(const fs::path& index_root, const std::string& query) {
  auto reader = search::IndexReader::open(index_root);
  EXPECT_TRUE(reader) << reader.error().describe();
  if (!reader) return {};
  search::SearchRequest request;
  request.query = query;
  request.limit = 50;
  auto hits = reader->search(request);
  EXPECT_TRUE(hits) << hits.error().describe();
  std::set<std::string> ids;
  if (hits) {
    for (const auto& hit : hits->hits) ids.insert(hit.arxiv_id);
  }
  return ids;
}

queries::Profile profile_of(store::Store& store, const std::string& name) {
  auto ref = queries::resolve_author(store, name);
  EXPECT_TRUE(ref) << name << ": " << ref.error().describe();
  if (!ref) return {};
  auto p = queries::profile(store, ref->author_id);
  EXPECT_TRUE(p) << p.error().describe();
  return p ? *p : queries::Profile{};
}

std::int64_t shared_works(const queries::Profile& p, const std::string& name) {
  for (const auto& c : p.collaborators) {
    if (c.name == name) return c.works;
  }
  return 0;
}

bool has_work(const queries::Profile& p, const std::string& arxiv_id) {
  return std::ranges::any_of(p.works, [&](const auto& w) { return w.arxiv_id == arxiv_id; });
}

const queries::ProfileWork* find_work(const queries::Profile& p, const std::string& arxiv_id) {
  for (const auto& w : p.works) {
    if (w.arxiv_id == arxiv_id) return &w;
  }
  return nullptr;
}

TEST(HarvestDeleted, DeletedRecordBecomesATombstoneAndWithdrawalIsFlagged) {
  TempDir before_dir("before");
  TempDir after_dir("after");
  make_pages_dir(before_dir.path(), {"before-withdrawal-1101.2483.xml"});
  make_pages_dir(after_dir.path(), {"deleted-1102.0541.xml"});
  Harness h("deleted");
  const fs::path index_root = h.dir() / "var" / "index";

  // --- before: 509 live works, 6 withdrawn ---
  {
    auto server = start_replay(before_dir.path(), 100);
    auto summary = h.harvest(server->base_url());
    ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.to_line();
    EXPECT_EQ(summary.counts.added, 509);
    h.index();
  }
  auto stats = h.store().stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->works, 509);
  EXPECT_EQ(stats->withdrawn, 6);
  EXPECT_TRUE(search_ids(index_root, "author:borucki").contains("1102.0541"));
  auto borucki = profile_of(h.store(), "William J. Borucki");
  EXPECT_EQ(borucki.works.size(), 6u);
  EXPECT_TRUE(has_work(borucki, "1102.0541"));
  EXPECT_EQ(shared_works(borucki, "Geoffrey W. Marcy"), 6);
  const std::int64_t borucki_collaborators =
      static_cast<std::int64_t>(borucki.collaborators.size());
  auto batalha = profile_of(h.store(), "Natalie M. Batalha");
  EXPECT_EQ(batalha.works.size(), 5u);
  auto razaghi = profile_of(h.store(), "Peyman Razaghi");
  ASSERT_NE(find_work(razaghi, "1101.2483"), nullptr);
  EXPECT_FALSE(find_work(razaghi, "1101.2483")->withdrawn);

  // --- after: 1102.0541 deleted, 1101.2483 withdrawn ---
  auto server = start_replay(after_dir.path(), 100);
  auto summary = h.harvest(server->base_url(), "2015-03-17");
  ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.to_line();
  EXPECT_EQ(summary.counts.deleted, 1);
  EXPECT_EQ(summary.counts.updated, 1);  // 1101.2483 got its withdrawal version
  EXPECT_EQ(summary.counts.added, 0);
  h.index();

  stats = h.store().stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->works, 508);
  EXPECT_EQ(stats->withdrawn, 7);
  EXPECT_EQ(stats->deleted_records, 1);
  EXPECT_EQ(stats->pending_index, 0);
  const Contents now = h.contents(false);
  EXPECT_EQ(now.works.size(), 508u);
  EXPECT_TRUE(
      std::ranges::none_of(now.works, [](const auto& l) { return l.starts_with("1102.0541|"); }));
  EXPECT_TRUE(std::ranges::none_of(now.authorships,
                                   [](const auto& l) { return l.starts_with("1102.0541|"); }));
  EXPECT_TRUE(std::ranges::any_of(now.works, [](const auto& l) {
    return l.starts_with("1101.2483|") && l.find("|withdrawn") != std::string::npos;
  }));

  // Search: gone from the index.
  auto reader = search::IndexReader::open(index_root);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 508u);
  const auto kepler = search_ids(index_root, "author:borucki");
  EXPECT_EQ(kepler, (std::set<std::string>{"1102.0291", "1102.0543", "1102.0544", "1102.0547",
                                           "1102.0555"}));

  // Profiles and collaborator counts.
  borucki = profile_of(h.store(), "William J. Borucki");
  EXPECT_EQ(borucki.works.size(), 5u);
  EXPECT_FALSE(has_work(borucki, "1102.0541"));
  EXPECT_EQ(shared_works(borucki, "Geoffrey W. Marcy"), 5);
  // Co-authors only on 1102.0541 (e.g. Alan Boss) are no longer collaborators.
  EXPECT_EQ(shared_works(borucki, "Alan Boss"), 0);
  EXPECT_LT(static_cast<std::int64_t>(borucki.collaborators.size()), borucki_collaborators);
  batalha = profile_of(h.store(), "Natalie M. Batalha");
  EXPECT_EQ(batalha.works.size(), 4u);
  razaghi = profile_of(h.store(), "Peyman Razaghi");
  ASSERT_NE(find_work(razaghi, "1101.2483"), nullptr);
  EXPECT_TRUE(find_work(razaghi, "1101.2483")->withdrawn);

  // Replaying the same window changes nothing: the deletion is unchanged too.
  const Contents settled = h.contents();
  auto again = h.harvest(server->base_url(), "2015-03-17");
  ASSERT_EQ(again.status, pipeline::HarvestStatus::ok) << again.to_line();
  EXPECT_EQ(again.counts.unchanged, again.counts.seen);
  EXPECT_EQ(again.counts.deleted, 0);
  h.index();
  EXPECT_EQ(h.contents(), settled);
}

}  // namespace
}  // namespace bzpeer::it
