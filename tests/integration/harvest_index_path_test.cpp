// consolidate_and_index updates the index in place or, when most of it would change (an
// initial harvest), rebuilds it with the parallel sharded rebuild. Both paths must leave
// the same index: the same works, the same answers, the same spelling suggestions.
#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "index/search/search_index.hpp"
#include "pipeline/harvest_run.hpp"
#include "tests/integration/harvest_support.hpp"
#include "tools/gen_corpus/world.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer::it {
namespace {

/// A generated world of 300 works served on loopback, harvested into as many stores as a
/// test asks for.
class HarvestIndexPath : public ::testing::Test {
 protected:
  void SetUp() override {
    gen_corpus::WorldOptions options;
    options.seed = 77;
    options.works = 300;
    world_ = gen_corpus::make_world(options);
    ASSERT_TRUE(gen_corpus::write_world(world_, options, dir_.path() / "pages"));
    replay::ServerOptions server_options;
    server_options.pages_dir = dir_.path() / "pages";
    server_options.page_size = 100;
    server_ = std::make_unique<replay::ReplayServer>(server_options);
    ASSERT_GT(server_->start(), 0);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  /// Harvests the world into `<dir>/<name>/store`, then consolidates and indexes into
  /// `<dir>/<name>/index` with `options`; returns the index root.
  fs::path harvest(const std::string& name, const pipeline::IndexUpdateOptions& options,
                   pipeline::IndexUpdate expected) {
    const fs::path root = dir_.path() / name;
    auto store = store::Store::open(root / "store", store::OpenMode::read_write);
    EXPECT_TRUE(store) << store.error().describe();
    if (!store) return root / "index";
    http::ClientOptions http_options;
    http_options.retry.initial_backoff = std::chrono::milliseconds(20);
    http::HttpClient http(http_options);
    pipeline::HarvestOptions harvest;
    harvest.source.name = "arxiv";
    harvest.source.url = server_->base_url();
    harvest.source.metadata_prefix = "arXivRaw";
    harvest.source.min_interval_s = 0;
    const auto summary = pipeline::harvest_source(harvest, *store, http);
    EXPECT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
    EXPECT_EQ(summary.counts.added, static_cast<std::int64_t>(world_.works.size()));
    pipeline::IndexUpdate used{};
    auto stats = pipeline::consolidate_and_index(*store, root / "index", options, &used);
    EXPECT_TRUE(stats) << stats.error().describe();
    EXPECT_EQ(used, expected);
    auto after = store->stats();
    EXPECT_TRUE(after);
    if (after) {
      EXPECT_EQ(after->pending_index, 0);  // cleared once the index has the works
    }
    return root / "index";
  }

  gen_corpus::World world_;
  TempDir dir_{"index-path"};
  std::unique_ptr<replay::ReplayServer> server_;
};

struct Answer {
  /// Work id and weight (rounded: equal weights may come in either order between two
  /// indexes whose internal document numbers differ).
  std::map<std::int64_t, long long> ids;
  std::set<std::string> arxiv_ids;
  std::string suggestion;
  bool operator==(const Answer&) const = default;
};

Answer ask(search::IndexReader& reader, const std::string& query) {
  search::SearchRequest request;
  request.query = query;
  request.limit = 1000;
  auto response = reader.search(request);
  EXPECT_TRUE(response) << query << ": " << response.error().describe();
  Answer a;
  if (!response) return a;
  for (const auto& hit : response->hits) {
    a.ids[hit.work_id] = std::llround(hit.weight * 1e6);
    a.arxiv_ids.insert(hit.arxiv_id);
  }
  a.suggestion = response->suggestion;
  return a;
}

std::map<std::string, Xapian::doccount> spelling(const fs::path& index) {
  Xapian::Database db((index / "current").string());
  std::map<std::string, Xapian::doccount> words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
}

/// An initial harvest indexed by a rebuild and one indexed in place give the same index.
TEST_F(HarvestIndexPath, RebuildAndInPlaceGiveTheSameIndex) {
  const auto rebuilt = harvest("rebuilt", {.rebuild_min_pending = 1, .rebuild_fraction = 0.5},
                               pipeline::IndexUpdate::rebuild);
  const auto in_place =
      harvest("in-place", {.rebuild_min_pending = 1'000'000}, pipeline::IndexUpdate::incremental);
  auto a = search::IndexReader::open(rebuilt);
  auto b = search::IndexReader::open(in_place);
  ASSERT_TRUE(a) << a.error().describe();
  ASSERT_TRUE(b) << b.error().describe();
  EXPECT_EQ(a->document_count(), world_.works.size());
  EXPECT_EQ(b->document_count(), world_.works.size());

  // Every work, under the same ids.
  const Answer all = ask(*a, "");
  EXPECT_EQ(all.ids.size(), world_.works.size());
  std::set<std::string> expected;
  for (const auto& w : world_.works) expected.insert(w.arxiv_id);
  EXPECT_EQ(all.arxiv_ids, expected);
  EXPECT_EQ(ask(*b, ""), all);

  // Queries from the world's own titles and authors, a phrase, a field, a category.
  const auto& w0 = world_.works.front();
  const std::string first_word = w0.title.substr(0, w0.title.find(' '));
  for (const std::string& q :
       {first_word, "\"" + w0.title + "\"", "title:" + first_word, "category:" + w0.category,
        "author:" +
            world_.persons.at(static_cast<std::size_t>(w0.authors.front().person)).family}) {
    const Answer found = ask(*a, q);
    EXPECT_FALSE(found.ids.empty()) << q;
    EXPECT_EQ(ask(*b, q), found) << q;
  }

  // Spelling: the same table, and the same suggestion for a misspelt title word.
  EXPECT_EQ(spelling(rebuilt), spelling(in_place));
  std::string longest;
  for (const auto& w : world_.works) {
    for (std::size_t at = 0, end; at < w.title.size(); at = end + 1) {
      end = std::min(w.title.find(' ', at), w.title.size());
      const std::string word = w.title.substr(at, end - at);
      bool plain = word.size() > longest.size();
      for (char c : word) plain = plain && c >= 'a' && c <= 'z';
      if (plain) longest = word;
    }
  }
  ASSERT_GE(longest.size(), 6u);
  std::string misspelt = longest;
  misspelt[misspelt.size() / 2] = misspelt[misspelt.size() / 2] == 'x' ? 'y' : 'x';
  const Answer suggested = ask(*a, misspelt);
  EXPECT_EQ(suggested.suggestion, longest) << misspelt;
  EXPECT_EQ(ask(*b, misspelt).suggestion, suggested.suggestion);
}

/// With the default options a small harvest into an empty index updates it in place.
TEST_F(HarvestIndexPath, DefaultsChooseByPendingWorks) {
  EXPECT_GT(pipeline::IndexUpdateOptions{}.rebuild_min_pending, world_.works.size());
  const auto index = harvest("defaults", {}, pipeline::IndexUpdate::incremental);
  auto reader = search::IndexReader::open(index);
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_EQ(reader->document_count(), world_.works.size());
}

}  // namespace
}  // namespace bzpeer::it
