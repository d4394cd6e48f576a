// Tests for facets, the type and topic filters, "did you mean", "more like this" and the
// sharded rebuild.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search {
namespace {

using testing::corpus;
using testing::id_set;
using testing::ids;
using testing::TempDir;
using Ids = std::set<std::int64_t>;
using Counts = std::vector<std::pair<std::string, std::uint64_t>>;

Counts counts(const SearchResponse& r, const std::string& facet) {
  Counts out;
  const auto it = r.facets.find(facet);
  if (it == r.facets.end()) {
    ADD_FAILURE() << "no facet " << facet;
    return out;
  }
  for (const auto& v : it->second) out.emplace_back(v.value, v.count);
  return out;
}

/// Feeds rebuild() from a vector.
std::function<bool(IndexDocument&)> feed(std::vector<IndexDocument> docs) {
  auto next = std::make_shared<std::size_t>(0);
  auto all = std::make_shared<std::vector<IndexDocument>>(std::move(docs));
  return [next, all](IndexDocument& out) {
    if (*next == all->size()) return false;
    out = (*all)[(*next)++];
    return true;
  };
}

class SearchFeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto writer = IndexWriter::open(dir_.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (const auto& doc : corpus()) ASSERT_TRUE(writer->upsert(doc));
    ASSERT_TRUE(writer->commit());
    auto reader = IndexReader::open(dir_.path());
    ASSERT_TRUE(reader) << reader.error().describe();
    reader_.emplace(std::move(*reader));
  }

  SearchResponse search(const SearchRequest& request) {
    auto response = reader_->search(request);
    EXPECT_TRUE(response) << request.query << ": " << response.error().describe();
    return response ? *response : SearchResponse{};
  }

  SearchResponse with_facets(const std::string& query, std::size_t facet_limit = 0) {
    SearchRequest request;
    request.query = query;
    request.limit = 2;
    request.facets = true;
    request.facet_limit = facet_limit;
    return search(request);
  }

  TempDir dir_;
  std::optional<IndexReader> reader_;
};

/// Facets count every match, not just the page, most frequent first, ties by value.
TEST_F(SearchFeaturesTest, FacetCountsOverAllWorks) {
  const SearchResponse r = with_facets("");
  EXPECT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.total_estimate, 10u);
  EXPECT_EQ(counts(r, "year"), (Counts{{"2010", 4}, {"2011", 4}, {"2009", 1}, {"2012", 1}}));
  EXPECT_EQ(counts(r, "type"), (Counts{{"preprint", 9}, {"article", 1}}));
  EXPECT_EQ(counts(r, "topic"), (Counts{{"Dark Matter and Cosmic Phenomena", 1},
                                        {"Exoplanet Detection and Characterization", 1}}));
  // A work counts once for each of its categories (26 category entries, 20 distinct).
  const Counts categories = counts(r, "category");
  std::uint64_t total = 0;
  for (const auto& [value, n] : categories) total += n;
  EXPECT_EQ(total, 26u);
  EXPECT_EQ(categories.size(), 20u);
  EXPECT_EQ(Counts(categories.begin(), categories.begin() + 4),
            (Counts{{"astro-ph.EP", 3}, {"hep-ph", 3}, {"astro-ph.CO", 2}, {"hep-th", 2}}));
}

/// Facets follow the query and the filters; facet_limit cuts each list.
TEST_F(SearchFeaturesTest, FacetCountsFollowQueryFiltersAndLimit) {
  SearchResponse r = with_facets("planet");
  EXPECT_EQ(counts(r, "year"), (Counts{{"2011", 3}}));
  EXPECT_EQ(counts(r, "category"), (Counts{{"astro-ph.EP", 3}, {"astro-ph.SR", 1}}));
  EXPECT_EQ(counts(r, "type"), (Counts{{"preprint", 2}, {"article", 1}}));
  EXPECT_EQ(counts(r, "topic"), (Counts{{"Exoplanet Detection and Characterization", 1}}));

  SearchRequest request;
  request.facets = true;
  request.facet_limit = 1;
  request.categories = {"hep-ph"};
  r = search(request);
  EXPECT_EQ(r.total_estimate, 3u);
  EXPECT_EQ(counts(r, "year"), (Counts{{"2010", 3}}));
  EXPECT_EQ(counts(r, "category"), (Counts{{"hep-ph", 3}}));
  EXPECT_EQ(counts(r, "topic"), (Counts{{"Dark Matter and Cosmic Phenomena", 1}}));

  // Nothing matches: every facet is there, empty.
  r = with_facets("title:nonexistentword");
  ASSERT_EQ(r.facets.size(), 4u);
  for (const auto& [name, values] : r.facets) EXPECT_TRUE(values.empty()) << name;

  // Without facets, none are computed.
  request.facets = false;
  EXPECT_TRUE(search(request).facets.empty());
}

/// Type and topic filters select exact values and leave relevance alone.
TEST_F(SearchFeaturesTest, TypeAndTopicFilters) {
  SearchRequest request;
  request.limit = 100;
  request.types = {"ARTICLE"};
  EXPECT_EQ(id_set(search(request)), (Ids{5}));
  request.types = {"preprint"};
  EXPECT_EQ(search(request).hits.size(), 9u);
  request.types = {"preprint", "article"};
  EXPECT_EQ(search(request).hits.size(), 10u);
  request.types.clear();

  request.topics = {"exoplanet detection and characterization"};
  EXPECT_EQ(id_set(search(request)), (Ids{5}));
  request.topics = {"Exoplanet Detection and Characterization", "Dark Matter and Cosmic Phenomena"};
  EXPECT_EQ(id_set(search(request)), (Ids{2, 5}));
  request.topics = {"Exoplanet"};  // a whole label, not a word of one
  EXPECT_EQ(id_set(search(request)), (Ids{}));

  // Filters AND with each other and with the query, and keep the weights.
  SearchRequest plain;
  plain.query = "planet OR matter";
  plain.limit = 100;
  const SearchResponse all = search(plain);
  SearchRequest filtered = plain;
  filtered.types = {"preprint"};
  filtered.topics = {"Dark Matter and Cosmic Phenomena",
                     "Exoplanet Detection and Characterization"};
  const SearchResponse some = search(filtered);
  ASSERT_EQ(ids(some), (std::vector<std::int64_t>{2}));
  const auto same = std::find_if(all.hits.begin(), all.hits.end(),
                                 [](const SearchHit& h) { return h.work_id == 2; });
  ASSERT_NE(same, all.hits.end());
  EXPECT_DOUBLE_EQ(some.hits[0].weight, same->weight);
}

/// The topic filter is not part of the query language; topic: stays a word search.
TEST_F(SearchFeaturesTest, TopicFieldStillSearchesWords) {
  SearchRequest request;
  request.query = "topic:exoplanet";
  EXPECT_EQ(id_set(search(request)), (Ids{5}));
}

/// A misspelt title or abstract word gets a suggestion that finds more.
TEST_F(SearchFeaturesTest, SpellingSuggestion) {
  SearchRequest request;
  request.query = "planett";
  SearchResponse r = search(request);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.suggestion, "planet");

  request.query = "dark mater";
  r = search(request);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.suggestion, "dark matter");

  // Correct words, fielded words and author names get none.
  for (const std::string query : {"planet", "dark matter", "title:planett", "maldacna"}) {
    request.query = query;
    EXPECT_EQ(search(request).suggestion, "") << query;
  }

  // Not asked for, or the query found enough.
  request.query = "planett";
  request.suggest_below = 0;
  EXPECT_EQ(search(request).suggestion, "");
  request.query = "planett OR planet";
  request.suggest_below = 3;
  EXPECT_EQ(search(request).total_estimate, 3u);
  EXPECT_EQ(search(request).suggestion, "");
  request.suggest_below = 10;
  EXPECT_EQ(search(request).suggestion, "");  // the correction finds no more

  // The correction must find more with the same filters.
  request.query = "planett";
  request.categories = {"cs.LG"};
  EXPECT_EQ(search(request).suggestion, "");
}

/// Related works share the work's telling words; the work itself is never among them.
TEST_F(SearchFeaturesTest, RelatedWorks) {
  auto related = reader_->related(5, 3);  // Kepler-11 planets
  ASSERT_TRUE(related) << related.error().describe();
  ASSERT_FALSE(related->empty());
  EXPECT_LE(related->size(), 3u);
  const Ids planets{7, 8};
  EXPECT_TRUE(planets.contains(related->front().work_id)) << related->front().work_id;
  for (const auto& hit : *related) {
    EXPECT_NE(hit.work_id, 5);
    EXPECT_FALSE(hit.title.empty());
    EXPECT_FALSE(hit.snippet.empty());
  }

  for (std::int64_t id = 1; id <= 10; ++id) {
    auto all = reader_->related(id, 100);
    ASSERT_TRUE(all) << id;
    for (const auto& hit : *all) EXPECT_NE(hit.work_id, id);
  }
  auto dark = reader_->related(2, 1);  // dark matter: the other astro/particle paper
  ASSERT_TRUE(dark);
  ASSERT_EQ(dark->size(), 1u);
  EXPECT_EQ(dark->front().work_id, 3);

  auto none = reader_->related(424242, 5);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::not_found);
  auto zero = reader_->related(5, 0);
  ASSERT_TRUE(zero);
  EXPECT_TRUE(zero->empty());
}

/// Everything a reader can see of an index, for comparing two builds.
struct Snapshot {
  std::uint64_t documents = 0;
  std::vector<std::map<std::int64_t, double>> weights;  ///< per query: work -> weight
  std::vector<std::vector<std::int64_t>> by_date;       ///< per query, newest first
  std::vector<std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>>> facets;
  std::vector<std::string> suggestions;
};

Snapshot snapshot(const std::filesystem::path& root) {
  Snapshot s;
  auto reader = IndexReader::open(root);
  EXPECT_TRUE(reader) << reader.error().describe();
  if (!reader) return s;
  s.documents = reader->document_count();
  for (const std::string query :
       {"", "planet", "\"dark matter\"", "title:cluster*", "category:astro-ph year:2010..2011",
        "strain OR loops OR solar", "planett", "NOT category:hep-ph"}) {
    SearchRequest request;
    request.query = query;
    request.limit = 100;
    request.facets = true;
    request.facet_limit = 0;
    auto r = reader->search(request);
    EXPECT_TRUE(r) << query;
    if (!r) continue;
    std::map<std::int64_t, double> weights;
    for (const auto& hit : r->hits) weights[hit.work_id] = hit.weight;
    s.weights.push_back(weights);
    std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> facets;
    for (const auto& [name, values] : r->facets) {
      for (const auto& v : values) facets[name].emplace_back(v.value, v.count);
    }
    s.facets.push_back(facets);
    s.suggestions.push_back(r->suggestion);
    request.sort = SortOrder::newest;
    s.by_date.push_back(ids(*reader->search(request)));
  }
  return s;
}

/// The sharded rebuild holds exactly what a single writer writes: same documents, same
/// weights, facets and suggestions. A repeated work id counts once whatever its shard.
TEST(SearchShardedRebuild, SameIndexAsOneWriter) {
  auto docs = corpus();
  IndexDocument again = docs[3];
  again.title = "Spatially-Aware Comparison, second version";
  docs.push_back(again);  // work 4 twice: the last one wins
  TempDir one;
  TempDir three;
  auto single = rebuild(one.path(), feed(docs), RebuildOptions{.shards = 1});
  ASSERT_TRUE(single) << single.error().describe();
  EXPECT_EQ(single->shards, 1u);
  auto sharded = rebuild(three.path(), feed(docs), RebuildOptions{.shards = 3});
  ASSERT_TRUE(sharded) << sharded.error().describe();
  EXPECT_EQ(sharded->shards, 3u);
  EXPECT_EQ(single->documents, 10u);
  EXPECT_EQ(sharded->documents, 10u);
  // Only the build remains: the shards are gone.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(three.path() / "builds")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);

  const Snapshot a = snapshot(one.path());
  const Snapshot b = snapshot(three.path());
  EXPECT_EQ(a.documents, 10u);
  EXPECT_EQ(b.documents, a.documents);
  EXPECT_EQ(b.by_date, a.by_date);
  EXPECT_EQ(b.facets, a.facets);
  EXPECT_EQ(b.suggestions, a.suggestions);
  ASSERT_EQ(b.weights.size(), a.weights.size());
  for (std::size_t q = 0; q < a.weights.size(); ++q) {
    ASSERT_EQ(b.weights[q].size(), a.weights[q].size()) << "query " << q;
    for (const auto& [work, weight] : a.weights[q]) {
      ASSERT_TRUE(b.weights[q].contains(work)) << "query " << q << " work " << work;
      EXPECT_NEAR(b.weights[q].at(work), weight, 1e-9) << "query " << q << " work " << work;
    }
  }
  EXPECT_EQ(a.suggestions.at(6), "planet");

  auto reader = IndexReader::open(three.path());
  ASSERT_TRUE(reader);
  SearchRequest request;
  request.query = "title:second";
  auto r = reader->search(request);
  ASSERT_TRUE(r);
  EXPECT_EQ(id_set(*r), (Ids{4}));
}

/// More shards than documents, and no documents at all, still give a valid build.
TEST(SearchShardedRebuild, FewOrNoDocuments) {
  TempDir dir;
  auto stats = rebuild(dir.path(), feed({corpus()[0]}), RebuildOptions{.shards = 4});
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->documents, 1u);
  stats = rebuild(dir.path(), feed({}), RebuildOptions{.shards = 2});
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->documents, 0u);
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 0u);
}

/// A source that fails part-way leaves the live index alone and no shards behind.
TEST(SearchShardedRebuild, FailureCleansUp) {
  TempDir dir;
  ASSERT_TRUE(rebuild(dir.path(), feed(corpus()), RebuildOptions{.shards = 1}));
  int calls = 0;
  auto stats = rebuild(
      dir.path(),
      [&](IndexDocument& out) -> bool {
        if (++calls == 8) throw std::runtime_error("store went away");
        out = corpus()[static_cast<std::size_t>(calls - 1)];
        return true;
      },
      RebuildOptions{.shards = 3});
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().message.find("store went away"), std::string::npos);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(dir.path() / "builds")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 10u);
}

}  // namespace
}  // namespace bzpeer::search
