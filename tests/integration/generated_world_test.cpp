// End to end on a generated world with known truth (tools/gen_corpus): replay server ->
// harvest -> consolidation -> export of authorships, scored with B3 against the truth;
// a chosen person's profile lists exactly their works and their closest collaborator first.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "index/queries/export.hpp"
#include "index/queries/queries.hpp"
#include "pipeline/harvest_run.hpp"
#include "tools/gen_corpus/world.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

struct B3 {
  double precision = 0, recall = 0, f1 = 0;
};

/// B3 over items with a predicted and a true cluster each.
B3 b3(const std::vector<std::pair<std::int64_t, int>>& items) {
  std::map<std::int64_t, double> pred;
  std::map<int, double> truth;
  std::map<std::pair<std::int64_t, int>, double> both;
  for (const auto& [p, t] : items) ++pred[p], ++truth[t], ++both[{p, t}];
  B3 r;
  for (const auto& [p, t] : items) {
    r.precision += both[{p, t}] / pred[p];
    r.recall += both[{p, t}] / truth[t];
  }
  r.precision /= static_cast<double>(items.size());
  r.recall /= static_cast<double>(items.size());
  r.f1 = 2 * r.precision * r.recall / (r.precision + r.recall);
  return r;
}

TEST(GeneratedWorld, AuthorsResolvedAgainstTruth) {
  const fs::path dir = fs::temp_directory_path() / ("bzpeer-world-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  gen_corpus::WorldOptions options;
  options.seed = 2024;
  options.works = 400;
  const auto world = gen_corpus::make_world(options);
  ASSERT_TRUE(gen_corpus::write_world(world, options, dir / "pages"));

  replay::ServerOptions server_options;
  server_options.pages_dir = dir / "pages";
  server_options.page_size = 100;
  replay::ReplayServer server(server_options);
  ASSERT_GT(server.start(), 0);
  auto opened = store::Store::open(dir / "store", store::OpenMode::read_write);
  ASSERT_TRUE(opened) << opened.error().describe();
  store::Store store = std::move(*opened);

  http::ClientOptions http_options;
  http_options.retry.initial_backoff = std::chrono::milliseconds(20);
  http::HttpClient http(http_options);
  pipeline::HarvestOptions harvest;
  harvest.source.name = "arxiv";
  harvest.source.url = server.base_url();
  harvest.source.metadata_prefix = "arXivRaw";
  harvest.source.min_interval_s = 0;
  const auto summary = pipeline::harvest_source(harvest, store, http);
  ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
  EXPECT_EQ(summary.counts.added, options.works);
  EXPECT_EQ(summary.counts.quarantined, 0);
  auto stats = pipeline::consolidate_and_index(store, dir / "index");
  ASSERT_TRUE(stats) << stats.error().describe();

  // Truth: (arxiv id, position) -> person.
  std::map<std::pair<std::string, int>, int> truth;
  for (const auto& w : world.works) {
    for (std::size_t k = 0; k < w.authors.size(); ++k)
      truth[{w.arxiv_id, static_cast<int>(k) + 1}] = w.authors[k].person;
  }
  std::vector<std::pair<std::int64_t, int>> items;
  std::map<int, std::int64_t> author_of_person;  // any one id per person (for the profile)
  auto exported = queries::export_authorships(store, [&](const queries::ExportAuthorship& a) {
    auto it = truth.find({a.arxiv_id, a.position});
    ASSERT_NE(it, truth.end()) << a.arxiv_id << " " << a.position << " " << a.name;
    ASSERT_NE(a.author_id, 0) << a.name;
    items.emplace_back(a.author_id, it->second);
    author_of_person.try_emplace(it->second, a.author_id);
  });
  ASSERT_TRUE(exported);
  ASSERT_EQ(items.size(), truth.size());
  const B3 score = b3(items);
  std::printf("generated world: %zu mentions, B3 P %.4f R %.4f F1 %.4f\n", items.size(),
              score.precision, score.recall, score.f1);
  EXPECT_GE(score.f1, 0.9);

  // Person 0: their profile lists exactly their works; person 1 is the closest collaborator.
  std::set<std::string> works_of_0;
  std::map<int, int> shared_with_0;
  for (const auto& w : world.works) {
    bool has0 = false;
    for (const auto& a : w.authors) has0 = has0 || a.person == 0;
    if (!has0) continue;
    works_of_0.insert(w.arxiv_id);
    for (const auto& a : w.authors) {
      if (a.person != 0) ++shared_with_0[a.person];
    }
  }
  ASSERT_GT(shared_with_0[1], 0);
  for (const auto& [p, n] : shared_with_0) {
    if (p != 1) {
      EXPECT_LT(n, shared_with_0[1]) << "person 1 is the true closest collaborator";
    }
  }
  auto profile = queries::profile(store, author_of_person.at(0));
  ASSERT_TRUE(profile) << profile.error().describe();
  std::set<std::string> listed;
  for (const auto& w : profile->works) listed.insert(w.arxiv_id);
  std::vector<std::string> missing, extra;
  std::ranges::set_difference(works_of_0, listed, std::back_inserter(missing));
  std::ranges::set_difference(listed, works_of_0, std::back_inserter(extra));
  EXPECT_TRUE(missing.empty()) << missing.size() << " works missing, e.g. " << missing.front();
  EXPECT_TRUE(extra.empty()) << extra.size() << " works too many, e.g. " << extra.front();
  ASSERT_FALSE(profile->collaborators.empty());
  EXPECT_EQ(profile->collaborators.front().author_id, author_of_person.at(1));
  EXPECT_EQ(profile->collaborators.front().works, shared_with_0[1]);

  server.stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bzpeer
