// End to end: replay server on 127.0.0.1 -> OAI-PMH harvest -> store -> consolidation
// -> Xapian index -> search and profile, on the bundled sample of 509 real arXiv records
// (tests/fixtures/oai/arxivraw-sample, assembled from arXiv's own oaipmh test database).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "index/queries/export.hpp"
#include "index/queries/queries.hpp"
#include "pipeline/harvest_run.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("bzpeer-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    replay::ServerOptions options;
    options.pages_dir = fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample";
    options.page_size = 100;
    server_ = std::make_unique<replay::ReplayServer>(options);
    ASSERT_GT(server_->start(), 0);
    auto store = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::make_unique<store::Store>(std::move(*store));
  }

  pipeline::HarvestSummary harvest(const std::string& from = "") {
    http::ClientOptions http_options;
    http_options.retry.initial_backoff = std::chrono::milliseconds(20);
    http::HttpClient http(http_options);
    pipeline::HarvestOptions options;
    options.source.name = "arxiv";
    options.source.url = server_->base_url();
    options.source.metadata_prefix = "arXivRaw";
    options.source.min_interval_s = 0;
    options.from = from;
    return pipeline::harvest_source(options, *store_, http);
  }

  void index() {
    auto stats = pipeline::consolidate_and_index(*store_, dir_.path() / "index");
    ASSERT_TRUE(stats) << stats.error().describe();
  }

  std::vector<std::string> export_lines() {
    std::vector<std::string> lines;
    auto r = queries::export_authorships(*store_, [&](const queries::ExportAuthorship& a) {
      lines.push_back(a.arxiv_id + "|" + std::to_string(a.position) + "|" + a.name + "|" +
                      std::to_string(a.author_id));
    });
    EXPECT_TRUE(r);
    return lines;
  }

  TempDir dir_;
  std::unique_ptr<replay::ReplayServer> server_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(EndToEnd, HarvestSearchProfile) {
  auto summary = harvest();
  ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
  EXPECT_EQ(summary.counts.seen, 509);
  EXPECT_EQ(summary.counts.added, 509);
  EXPECT_EQ(summary.counts.quarantined, 0);
  EXPECT_EQ(summary.pages, 6);  // 509 records at 100 per page
  index();

  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->works, 509);
  EXPECT_EQ(stats->withdrawn, 7);  // current versions flagged withdrawn in the test database
  EXPECT_EQ(stats->pending_index, 0);

  // Search: the Kepler papers of February 2011.
  auto reader = search::IndexReader::open(dir_.path() / "index");
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_EQ(reader->document_count(), 509u);
  search::SearchRequest request;
  request.query = "author:borucki";
  request.limit = 20;
  auto hits = reader->search(request);
  ASSERT_TRUE(hits) << hits.error().describe();
  std::set<std::string> ids;
  for (const auto& h : hits->hits) ids.insert(h.arxiv_id);
  EXPECT_EQ(ids, (std::set<std::string>{"1102.0291", "1102.0541", "1102.0543", "1102.0544",
                                        "1102.0547", "1102.0555"}));

  // Exactly two titles in the sample hold the phrase "transit timing".
  request.query = "title:\"transit timing\"";
  hits = reader->search(request);
  ASSERT_TRUE(hits);
  ids.clear();
  for (const auto& h : hits->hits) ids.insert(h.arxiv_id);
  EXPECT_EQ(ids, (std::set<std::string>{"1102.0525", "1102.0544"}));

  // Profile: resolved by name, six works, one topic with all of them, close collaborators.
  auto ref = queries::resolve_author(*store_, "William J. Borucki");
  ASSERT_TRUE(ref) << ref.error().describe();
  auto profile = queries::profile(*store_, ref->author_id);
  ASSERT_TRUE(profile) << profile.error().describe();
  EXPECT_EQ(profile->name, "William J. Borucki");
  ASSERT_EQ(profile->works.size(), 6u);
  EXPECT_EQ(profile->works.front().year, 2011);
  EXPECT_EQ(profile->works.front().type, "preprint");
  EXPECT_EQ(profile->works.front().venue, "arXiv");
  ASSERT_FALSE(profile->topics.empty());
  EXPECT_EQ(profile->topics.front().topic, "astro-ph.EP");
  EXPECT_EQ(profile->topics.front().works, 6);
  // Geoffrey W. Marcy co-signs all six of Borucki's papers in the sample.
  auto find = [&](const std::string& name) {
    return std::ranges::find_if(profile->collaborators,
                                [&](const queries::Collaborator& c) { return c.name == name; });
  };
  auto marcy = find("Geoffrey W. Marcy");
  ASSERT_NE(marcy, profile->collaborators.end());
  EXPECT_EQ(marcy->works, 6);
  EXPECT_EQ(marcy->last_year, 2011);
  EXPECT_EQ(marcy->first_year, 2011);
  EXPECT_GT(profile->close_collaborators, 10);

  // Name variants of one person merge: "Natalie M. Batalha" and "Natalie Batalha".
  auto batalha = queries::resolve_author(*store_, "Natalie Batalha");
  ASSERT_TRUE(batalha);
  auto batalha_profile = queries::profile(*store_, batalha->author_id);
  ASSERT_TRUE(batalha_profile);
  EXPECT_EQ(batalha_profile->name, "Natalie M. Batalha");
  // 4 papers print "Natalie M. Batalha", 1102.0541 prints "Natalie Batalha".
  EXPECT_EQ(batalha_profile->works.size(), 5u) << "variants merged";
  EXPECT_EQ(batalha_profile->variants.size(), 2u);
}

TEST_F(EndToEnd, ReharvestChangesNothing) {
  auto first = harvest();
  ASSERT_EQ(first.status, pipeline::HarvestStatus::ok) << first.message;
  index();
  auto before = export_lines();
  auto stats_before = store_->stats();
  ASSERT_TRUE(stats_before);

  // Replay the whole feed again with an explicit window: every record is unchanged.
  auto second = harvest("2000-01-01");
  ASSERT_EQ(second.status, pipeline::HarvestStatus::ok) << second.message;
  EXPECT_EQ(second.counts.seen, 509);
  EXPECT_EQ(second.counts.unchanged, 509);
  EXPECT_EQ(second.counts.added, 0);
  EXPECT_EQ(second.counts.updated, 0);
  index();
  EXPECT_EQ(export_lines(), before);
  auto stats_after = store_->stats();
  ASSERT_TRUE(stats_after);
  EXPECT_EQ(stats_after->works, stats_before->works);
  EXPECT_EQ(stats_after->authors, stats_before->authors);
  EXPECT_EQ(stats_after->collaborations, stats_before->collaborations);

  // An incremental run starts one day before the last completed harvest (the replay
  // server's "now"), where the sample has nothing: an empty success.
  auto third = harvest();
  EXPECT_EQ(third.status, pipeline::HarvestStatus::ok) << third.message;
  EXPECT_EQ(third.counts.seen, 0);
}

}  // namespace
}  // namespace bzpeer
