// A researcher's topics from their works: supporting works, shares, fractional
// authorship, recency, near-duplicates, and a generated corpus with planted topics.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "pipeline/topics/author_topics.hpp"
#include "pipeline/topics/keyphrases.hpp"

namespace bzpeer::topics {
namespace {

AuthorWork work(std::vector<std::string> cats, std::vector<std::pair<std::string, double>> phrases,
                int year = 2020, int n_authors = 1) {
  AuthorWork w{year, n_authors, {}};
  double primary = 1.0;
  for (auto& c : cats) w.topics.push_back({TopicKind::category, c, primary, {}}), primary = 0.5;
  for (auto& [p, s] : phrases) w.topics.push_back({TopicKind::keyphrase, p, s, {}});
  return w;
}

const AuthorTopic* find(const std::vector<AuthorTopic>& ts, const std::string& topic) {
  auto it = std::ranges::find(ts, topic, &AuthorTopic::topic);
  return it == ts.end() ? nullptr : &*it;
}

TEST(AuthorTopics, NeedTwoSupportingWorks) {
  auto ts = aggregate_author_topics({work({"astro-ph.EP", "astro-ph.SR"}, {{"transit timing", 3}}),
                                     work({"astro-ph.EP"}, {{"transit timing", 2}}),
                                     work({"hep-th"}, {{"string theory", 5}})});
  ASSERT_FALSE(ts.empty());
  EXPECT_EQ(ts.front().topic, "astro-ph.EP");
  EXPECT_EQ(ts.front().label, "Earth and Planetary Astrophysics");
  EXPECT_EQ(ts.front().kind, TopicKind::category);
  EXPECT_EQ(ts.front().works, 2);
  EXPECT_EQ(find(ts, "hep-th"), nullptr);         // one work
  EXPECT_EQ(find(ts, "astro-ph.SR"), nullptr);    // one work
  EXPECT_EQ(find(ts, "string theory"), nullptr);  // one work
  ASSERT_NE(find(ts, "transit timing"), nullptr);
  EXPECT_EQ(find(ts, "transit timing")->kind, TopicKind::keyphrase);
  EXPECT_EQ(find(ts, "transit timing")->works, 2);
}

TEST(AuthorTopics, CategoriesComeFirstAndAliasesMerge) {
  auto ts = aggregate_author_topics({work({"math.MP"}, {{"spin chains", 1}}),
                                     work({"math-ph"}, {{"spin chain", 1}}),
                                     work({"math-ph", "math.MP"}, {{"spin chains", 1}})});
  ASSERT_GE(ts.size(), 2u);
  EXPECT_EQ(ts[0].topic, "math-ph");
  EXPECT_EQ(ts[0].works, 3);
  EXPECT_DOUBLE_EQ(ts[0].weight, 1.0);
  EXPECT_EQ(ts[1].kind, TopicKind::keyphrase);
  EXPECT_EQ(ts[1].works, 3);              // "spin chain" and "spin chains" are one topic
  EXPECT_EQ(ts[1].label, "spin chains");  // the form with most weight
}

TEST(AuthorTopics, NearDuplicatesAreDropped) {
  std::vector<AuthorWork> works;
  for (int i = 0; i < 3; ++i) {
    works.push_back(work({"cs.LG"}, {{"transit timing variations", 5},
                                     {"timing variations transit", 4},
                                     {"timing variations", 3},
                                     {"machine learning", 2},
                                     {"neural networks", 1}}));
  }
  auto ts = aggregate_author_topics(works);
  EXPECT_NE(find(ts, "transit timing variations"), nullptr);
  EXPECT_EQ(find(ts, "timing variations transit"), nullptr);  // same stems
  EXPECT_EQ(find(ts, "timing variations"), nullptr);          // contained
  EXPECT_EQ(find(ts, "machine learning"), nullptr);           // the category's name
  EXPECT_NE(find(ts, "neural networks"), nullptr);
}

TEST(AuthorTopics, FractionalAuthorshipAndRecency) {
  // Two hep-th works with 20 authors (divisor capped at 10) against two solo gr-qc works.
  std::vector<AuthorWork> works{work({"hep-th"}, {}, 2020, 20), work({"hep-th"}, {}, 2020, 20),
                                work({"gr-qc"}, {}, 2020, 1), work({"gr-qc"}, {}, 2020, 1)};
  auto ts = aggregate_author_topics(works);
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].topic, "gr-qc");
  EXPECT_NEAR(ts[0].weight, 2.0 / 2.2, 1e-9);
  EXPECT_NEAR(ts[1].weight, 0.2 / 2.2, 1e-9);

  // Old works fade with a half-life.
  std::vector<AuthorWork> career{work({"nucl-th"}, {}, 2000), work({"nucl-th"}, {}, 2001),
                                 work({"quant-ph"}, {}, 2020), work({"quant-ph"}, {}, 2020)};
  EXPECT_EQ(aggregate_author_topics(career).front().topic, "nucl-th");  // tie, by name
  AuthorTopicOptions recent;
  recent.half_life_years = 5;
  auto now = aggregate_author_topics(career, recent);
  EXPECT_EQ(now.front().topic, "quant-ph");
  EXPECT_GT(now.front().weight, 0.9);
}

TEST(AuthorTopics, MinimumShare) {
  std::vector<AuthorWork> works;
  for (int i = 0; i < 40; ++i) works.push_back(work({"cs.CL"}, {}));
  works.push_back(work({"cs.LG"}, {}));
  works.push_back(work({"cs.LG"}, {}));
  auto ts = aggregate_author_topics(works);
  ASSERT_EQ(ts.size(), 1u);  // cs.LG: 2 works but under 5%
  EXPECT_EQ(ts[0].topic, "cs.CL");
  EXPECT_TRUE(aggregate_author_topics({}).empty());
}

// OpenAlex topics: their own kind between categories and keyphrases, weighted by
// OpenAlex's score, labelled with the topic's name, and a keyphrase that only repeats an
// OpenAlex topic's name is dropped. Ids and names as in the OpenAlex fixture
// (tests/fixtures/openalex/openalexPro_chunk1_works_cursor-page1.json).
TEST(AuthorTopics, OpenAlexTopicsAreAKindOfTheirOwn) {
  auto oa = [](AuthorWork w, std::vector<std::tuple<std::string, std::string, double>> ts) {
    for (auto& [id, label, score] : ts) w.topics.push_back({TopicKind::openalex, id, score, label});
    return w;
  };
  auto ts = aggregate_author_topics({
      oa(work({"q-fin.GN"}, {{"economic and environmental valuation", 2}, {"carbon sinks", 1}}),
         {{"T10841", "Economic and Environmental Valuation", 0.99},
          {"T10319", "Conservation, Biodiversity, and Resource Management", 0.4}}),
      oa(work({"q-fin.GN"}, {{"economic and environmental valuation", 1}, {"carbon sinks", 1}}),
         {{"T10841", "Economic and Environmental Valuation", 0.95},
          {"T10319", "Conservation, Biodiversity, and Resource Management", 0.2}}),
      oa(work({"q-fin.GN"}, {}), {{"T13438", "Environmental Conservation and Management", 0.9}}),
  });
  std::vector<TopicKind> kinds;
  for (const auto& t : ts) kinds.push_back(t.kind);
  EXPECT_TRUE(std::ranges::is_sorted(kinds, {}, [](TopicKind k) {
    return k == TopicKind::category ? 0 : k == TopicKind::openalex ? 1 : 2;
  }));
  const auto* topic = find(ts, "T10841");
  ASSERT_NE(topic, nullptr);
  EXPECT_EQ(topic->kind, TopicKind::openalex);
  EXPECT_EQ(topic->label, "Economic and Environmental Valuation");
  EXPECT_EQ(topic->works, 2);
  const auto* other = find(ts, "T10319");
  ASSERT_NE(other, nullptr);
  // Shares within the kind follow OpenAlex's scores: (0.99 + 0.95) against (0.4 + 0.2).
  EXPECT_NEAR(topic->weight / other->weight, (0.99 + 0.95) / (0.4 + 0.2), 1e-9);
  EXPECT_EQ(find(ts, "T13438"), nullptr);                                // one supporting work
  EXPECT_EQ(find(ts, "economic and environmental valuation"), nullptr);  // the topic's name
  EXPECT_NE(find(ts, "carbon sinks"), nullptr);
  EXPECT_EQ(topic_kind("openalex"), TopicKind::openalex);
  EXPECT_EQ(topic_kind(to_string(TopicKind::keyphrase)), TopicKind::keyphrase);
  EXPECT_FALSE(topic_kind("subfield").has_value());
}

// Generated corpus: each researcher writes works whose abstracts mix their planted
// subject phrases with shared filler; keyphrases are extracted and ranked against the
// corpus df, and the researcher's top keyphrase topics must be the planted ones.
TEST(AuthorTopics, GeneratedCorpusRecoversPlantedTopics) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> researchers{
      {"astro-ph.EP", {"transit timing variations", "exoplanet atmospheres"}},
      {"cs.LG", {"graph neural networks", "contrastive learning"}},
      {"q-bio.NC", {"cortical neurons", "synaptic plasticity"}},
      {"cond-mat.supr-con", {"cuprate superconductors", "vortex lattices"}},
  };
  const std::vector<std::string> filler{"We study",
                                        "the data set",
                                        "and find strong evidence of",
                                        "under realistic noise",
                                        "with a simple estimator",
                                        "in large samples",
                                        "for future surveys"};
  std::mt19937 rng(7);
  struct Doc {
    std::size_t author;
    std::string title, abstract;
  };
  std::vector<Doc> docs;
  for (std::size_t a = 0; a < researchers.size(); ++a) {
    for (int i = 0; i < 8; ++i) {
      const auto& planted = researchers[a].second;
      std::string abstract;
      for (int s = 0; s < 6; ++s) {
        abstract += filler[rng() % filler.size()] + " of " + planted[rng() % planted.size()] + " " +
                    filler[rng() % filler.size()] + ". ";
      }
      docs.push_back({a, "On " + planted[i % planted.size()], abstract});
    }
  }
  std::map<std::string, std::int64_t> df;
  std::vector<std::vector<Candidate>> candidates;
  for (const auto& d : docs) {
    candidates.push_back(extract_candidates(d.title, d.abstract));
    for (const auto& k : document_keys(candidates.back())) ++df[k];
  }
  auto lookup = [&](std::string_view k) {
    auto it = df.find(std::string(k));
    return it == df.end() ? std::int64_t{0} : it->second;
  };
  std::vector<std::vector<AuthorWork>> by_author(researchers.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    std::vector<std::pair<std::string, double>> phrases;
    for (const auto& k :
         rank_keyphrases(candidates[i], lookup, static_cast<std::int64_t>(docs.size()))) {
      phrases.emplace_back(k.surface, k.score);
    }
    by_author[docs[i].author].push_back(
        work({researchers[docs[i].author].first}, phrases, 2020, 3));
  }
  for (std::size_t a = 0; a < researchers.size(); ++a) {
    auto ts = aggregate_author_topics(by_author[a]);
    ASSERT_FALSE(ts.empty());
    EXPECT_EQ(ts[0].topic, researchers[a].first);
    std::vector<std::string> phrases;
    for (const auto& t : ts) {
      if (t.kind == TopicKind::keyphrase) phrases.push_back(t.topic);
    }
    ASSERT_GE(phrases.size(), 2u) << researchers[a].first;
    std::vector<std::string> top2(phrases.begin(), phrases.begin() + 2);
    std::ranges::sort(top2);
    auto planted = researchers[a].second;
    std::ranges::sort(planted);
    EXPECT_EQ(top2, planted) << researchers[a].first;
  }
}

}  // namespace
}  // namespace bzpeer::topics
