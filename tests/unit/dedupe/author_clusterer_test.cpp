// Author clustering: constraints, monotone co-author evidence, and the real 66-author
// record 1603.05976 (stray keynames "Array", "Collaborations", ":").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "pipeline/dedupe/author_clusterer.hpp"
#include "pipeline/dedupe/author_name_variants.hpp"
#include "pipeline/normalise/names.hpp"

namespace bzpeer::dedupe {
namespace {

AuthorSignature sig(std::string given, std::string family, std::int64_t work,
                    std::vector<std::string> coauthors = {}) {
  AuthorSignature s;
  s.given = std::move(given);
  s.family = std::move(family);
  s.work_id = work;
  s.coauthors = std::move(coauthors);
  return s;
}

TEST(AuthorClusterer, SharedCoauthorsMergeVariantsOfOneName) {
  std::vector<AuthorSignature> m{sig("Natalie M.", "Batalha", 1, {"borucki w", "marcy g"}),
                                 sig("Natalie", "Batalha", 2, {"borucki w", "marcy g"}),
                                 sig("N. M.", "Batalha", 3, {"borucki w", "koch d"})};
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels, (std::vector<int>{0, 0, 0}));
}

TEST(AuthorClusterer, DifferentMiddleInitialsNeverMerge) {
  std::vector<AuthorSignature> m{sig("Samuel S.", "Schoenholz", 1, {"a x", "b y"}),
                                 sig("Samuel T.", "Schoenholz", 2, {"a x", "b y"})};
  AuthorPairScorer scorer(m, {});
  EXPECT_TRUE(scorer.cannot_link(0, 1));
  EXPECT_EQ(scorer.probability(0, 1), 0.0);
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 1}));
}

TEST(AuthorClusterer, InitialsChainCannotJoinConflictingMiddles) {
  // "J." is compatible with both, but J. A. and J. B. must stay apart.
  std::vector<AuthorSignature> m{sig("J. A.", "Smith", 1, {"k q"}),
                                 sig("J.", "Smith", 2, {"k q", "l r"}),
                                 sig("J. B.", "Smith", 3, {"l r"})};
  const auto labels = cluster_authors(m);
  EXPECT_NE(labels[0], labels[2]);
}

TEST(AuthorClusterer, SameWorkNeverMerges) {
  std::vector<AuthorSignature> m{sig("Wei", "Wang", 7, {"li x"}), sig("Wei", "Wang", 7, {"li x"})};
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 1}));
}

TEST(AuthorClusterer, OrcidMustLinkAndCannotLink) {
  auto a = sig("Peter", "Smith", 1);
  auto b = sig("P. J.", "Smith", 2);
  a.orcid = b.orcid = "0000-0002-1825-0097";
  auto c = sig("Peter", "Smith", 3, {"x y"});
  auto d = sig("Peter", "Smith", 4, {"x y"});
  c.orcid = "0000-0001-5109-3700";
  d.orcid = "0000-0003-1415-9269";
  std::vector<AuthorSignature> m{a, b, c, d};
  AuthorPairScorer scorer(m, {});
  EXPECT_TRUE(scorer.must_link(0, 1));
  EXPECT_TRUE(scorer.cannot_link(2, 3));
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels[0], labels[1]) << "same ORCID, no other evidence";
  EXPECT_NE(labels[2], labels[3]) << "different ORCIDs despite a shared co-author";
}

TEST(AuthorClusterer, NicknamesAreSoftEvidenceNotContradiction) {
  EXPECT_TRUE(NameVariants::builtin().are_variants("will", "william"));
  EXPECT_GT(NameVariants::builtin().size(), 10000u);
  std::vector<AuthorSignature> m{sig("William J.", "Borucki", 1, {"koch d", "marcy g"}),
                                 sig("Will", "Borucki", 2, {"koch d", "marcy g"}),
                                 sig("John", "Borucki", 3), sig("Jane", "Borucki", 4)};
  AuthorPairScorer scorer(m, {});
  EXPECT_FALSE(scorer.cannot_link(0, 1));
  EXPECT_TRUE(scorer.cannot_link(2, 3));
  auto same = m;
  same[1].given = "William";
  AuthorPairScorer plain(same, {});
  EXPECT_LT(scorer.log_odds(0, 1), plain.log_odds(0, 1)) << "a variant counts less than the name";
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels[0], labels[1]);
}

TEST(AuthorClusterer, MoreSharedCoauthorsNeverLowerTheScore) {
  for (const char* given : {"Peter J.", "P."}) {
    double previous = -1e9;
    for (int k = 0; k <= 12; ++k) {
      std::vector<std::string> shared;
      for (int i = 0; i < k; ++i) shared.push_back("co" + std::to_string(i) + " x");
      auto a = sig("Peter J.", "Smith", 1, shared);
      auto b = sig(given, "Smith", 2, shared);
      a.coauthors.push_back("only a");
      b.coauthors.push_back("only b");
      std::vector<AuthorSignature> m{a, b};
      AuthorPairScorer scorer(m, {});
      const double s = scorer.log_odds(0, 1);
      EXPECT_GT(s, previous) << given << " with " << k << " shared co-authors";
      previous = s;
    }
  }
}

TEST(AuthorClusterer, MoreSharedCoauthorsNeverLowerTheScoreWhateverTheirRarity) {
  // Shared co-authors are worth less the more common their name key is in the corpus
  // ("li j" against "kovac s"), but each one still adds: the score only grows.
  std::unordered_map<std::string, int> corpus;
  for (int i = 0; i < 12; ++i) corpus["co" + std::to_string(i) + " x"] = i % 2 == 0 ? 5000 : 1;
  AuthorClusterOptions options;
  options.coauthor_counts = &corpus;
  ASSERT_GT(options.weights.coauthor_common, 0.0);
  double previous = -1e9;
  for (int k = 0; k <= 12; ++k) {
    std::vector<std::string> shared;
    for (int i = 0; i < k; ++i) shared.push_back("co" + std::to_string(i) + " x");
    auto a = sig("Peter J.", "Smith", 1, shared);
    auto b = sig("Peter J.", "Smith", 2, shared);
    a.coauthors.push_back("only a");
    b.coauthors.push_back("only b");
    std::vector<AuthorSignature> m{a, b};
    const double s = AuthorPairScorer(m, options).log_odds(0, 1);
    EXPECT_GT(s, previous) << k << " shared co-authors";
    previous = s;
  }
}

TEST(AuthorClusterer, SharingACoauthorNeverScoresBelowHavingNoCoauthorLists) {
  // Even a co-author as common as "li j" is no worse than knowing nothing of co-authors.
  std::unordered_map<std::string, int> corpus{{"li j", 1000000}};
  AuthorClusterOptions options;
  options.coauthor_counts = &corpus;
  for (const char* given : {"Feng", "F."}) {
    std::vector<AuthorSignature> bare{sig(given, "Wang", 1), sig("Feng", "Wang", 2)};
    std::vector<AuthorSignature> shared{sig(given, "Wang", 1, {"li j"}),
                                        sig("Feng", "Wang", 2, {"li j"})};
    EXPECT_GE(AuthorPairScorer(shared, options).log_odds(0, 1),
              AuthorPairScorer(bare, options).log_odds(0, 1))
        << given;
  }
}

TEST(AuthorClusterer, CommonCoauthorNamesAreWeakerEvidence) {
  std::unordered_map<std::string, int> corpus{{"li j", 20000}, {"kovac s", 3}};
  AuthorClusterOptions options;
  options.coauthor_counts = &corpus;
  auto with = [&](const std::string& coauthor) {
    std::vector<AuthorSignature> m{sig("Matthew", "Walker", 1, {coauthor, "x a"}),
                                   sig("Matthew", "Walker", 2, {coauthor, "y b"})};
    return AuthorPairScorer(m, options).log_odds(0, 1);
  };
  EXPECT_LT(with("li j"), with("kovac s"));
  std::vector<AuthorSignature> none{sig("Matthew", "Walker", 1, {"x a"}),
                                    sig("Matthew", "Walker", 2, {"y b"})};
  EXPECT_GT(with("li j"), AuthorPairScorer(none, options).log_odds(0, 1))
      << "a common co-author still counts for something";
}

TEST(AuthorClusterer, IdenticalNamesWithoutCoauthorsMergeAcrossAffiliations) {
  // INSPIRE-style mentions carry a name and an affiliation only: the same full given name
  // at two institutions is one person (people move), ...
  auto peking = sig("Dayong", "Wang", 1);
  peking.affiliation = "Peking U.";
  auto florida = sig("Dayong", "Wang", 2);
  florida.affiliation = "Florida U.";
  std::vector<AuthorSignature> m{peking, florida};
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 0}));
  // ... but when both list co-authors and share none, the name alone is not enough.
  m[0].coauthors = {"chen a", "zhao c"};
  m[1].coauthors = {"liu b", "sun d"};
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 1}));
}

TEST(AuthorClusterer, NameOnlyMentionDoesNotChainTwoPeople) {
  // Two Feng Wangs, each with a co-author circle, and one mention with no co-authors that
  // fits both: it may join one of them but must not pull the two together.
  std::vector<AuthorSignature> m{sig("Feng", "Wang", 1, {"zhou q", "xu r"}),
                                 sig("Feng", "Wang", 2, {"zhou q", "xu r"}),
                                 sig("Feng", "Wang", 3, {"ma s", "hu t"}),
                                 sig("Feng", "Wang", 4, {"ma s", "hu t"}), sig("Feng", "Wang", 5)};
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels[0], labels[1]);
  EXPECT_EQ(labels[2], labels[3]);
  EXPECT_NE(labels[0], labels[2]);
}

TEST(AuthorClusterer, MiddleInitialMakesAnIdenticalNameRarer) {
  auto score = [](const std::string& given) {
    std::vector<AuthorSignature> m{sig(given, "Walker", 1, {"x a"}),
                                   sig(given, "Walker", 2, {"y b"})};
    return AuthorPairScorer(m, {}).log_odds(0, 1);
  };
  EXPECT_GT(score("Matthew C."), score("Matthew"));
}

TEST(AuthorClusterer, LoneInitialIsWeakerWhereFullerNamesFitIt) {
  // "P." = "P." says less in a block that also holds Ping and Peng Wang.
  std::vector<AuthorSignature> alone{sig("P.", "Wang", 1), sig("P.", "Wang", 2)};
  auto crowded = alone;
  crowded.push_back(sig("Ping", "Wang", 3));
  crowded.push_back(sig("Peng", "Wang", 4));
  EXPECT_LT(AuthorPairScorer(crowded, {}).log_odds(0, 1),
            AuthorPairScorer(alone, {}).log_odds(0, 1));
}

TEST(AuthorClusterer, DeterministicAndOrderedLabels) {
  std::vector<AuthorSignature> m;
  for (int i = 0; i < 60; ++i) {
    m.push_back(sig(i % 3 == 0 ? "Li" : (i % 3 == 1 ? "Lei" : "L."), "Zhang", i + 1,
                    {"team" + std::to_string(i % 4) + " q"}));
  }
  const auto first = cluster_authors(m);
  EXPECT_EQ(cluster_authors(m), first);
  EXPECT_EQ(first[0], 0);
  int seen = -1;
  for (int l : first) {
    EXPECT_LE(l, seen + 1);
    seen = std::max(seen, l);
  }
}

TEST(AuthorClusterer, LargeBlocksSplitByFullGivenName) {
  AuthorClusterOptions options;
  options.large_block = 20;  // force the sub-blocking path
  std::vector<AuthorSignature> m;
  for (int i = 0; i < 40; ++i) {
    const bool wei = i % 2 == 0;
    m.push_back(sig(wei ? "Wei" : "Wen", "Wang", i + 1,
                    {wei ? "chen a" : "liu b", wei ? "zhao c" : "sun d"}));
  }
  m.push_back(sig("W.", "Wang", 100, {"chen a", "zhao c"}));  // initial only: joins Wei
  const auto labels = cluster_authors(m, options);
  std::set<int> wei, wen;
  for (int i = 0; i < 40; ++i) (i % 2 == 0 ? wei : wen).insert(labels[static_cast<std::size_t>(i)]);
  EXPECT_EQ(wei.size(), 1u);
  EXPECT_EQ(wen.size(), 1u);
  EXPECT_NE(*wei.begin(), *wen.begin());
  EXPECT_EQ(labels.back(), *wei.begin());
}

// --- the real 66-author record ---------------------------------------------------------

std::vector<AuthorSignature> record_1603_05976(std::int64_t work) {
  const auto path = std::filesystem::path(BZPEER_FIXTURES) / "oai" / "arxiv-hepcrawl" /
                    "hepcrawl_GetRecord_arXiv_sample4.xml";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string xml = ss.str();
  std::vector<AuthorSignature> out;
  // <author><keyname>K</keyname>[<forenames>F</forenames>]… (no std::regex: GCC 12's
  // <regex> trips -Wmaybe-uninitialized in the sanitizer build).
  const std::string open = "<author><keyname>";
  for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    at += open.size();
    const auto key_end = xml.find("</keyname>", at);
    const std::string family = xml.substr(at, key_end - at);
    std::string given;
    const std::string fore = "</keyname><forenames>";
    if (xml.compare(key_end, fore.size(), fore) == 0) {
      const auto start = key_end + fore.size();
      given = xml.substr(start, xml.find("</forenames>", start) - start);
    }
    out.push_back(sig(given, family, work));
  }
  std::vector<std::string> keys;
  for (const auto& s : out) keys.push_back(normalise::name_block_key(s.given, s.family));
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < out.size(); ++j) {
      if (i != j) out[i].coauthors.push_back(keys[j]);
    }
    out[i].topics = {"astro-ph.IM", "astro-ph.CO"};
    out[i].year = 2016;
  }
  return out;
}

/// Clusters per name block, as the store does; returns "block#label" per mention.
std::vector<std::string> cluster_by_block(const std::vector<AuthorSignature>& all) {
  std::map<std::string, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < all.size(); ++i) {
    blocks[normalise::name_block_key(all[i].given, all[i].family)].push_back(i);
  }
  std::vector<std::string> out(all.size());
  for (const auto& [key, items] : blocks) {
    std::vector<AuthorSignature> block;
    for (auto i : items) block.push_back(all[i]);
    const auto labels = cluster_authors(block);
    for (std::size_t k = 0; k < items.size(); ++k)
      out[items[k]] = key + "#" + std::to_string(labels[k]);
  }
  return out;
}

TEST(AuthorClusterer, SixtySixAuthorRecordKeepsEveryNameApart) {
  const auto mentions = record_1603_05976(1);
  ASSERT_EQ(mentions.size(), 66u);
  EXPECT_EQ(mentions[0].family, "Array");
  EXPECT_EQ(mentions[2].family, ":");
  EXPECT_TRUE(mentions[2].given.empty());
  // All in one clustering problem: one work, so 66 people even where names agree.
  const auto labels = cluster_authors(mentions);
  EXPECT_EQ(std::set<int>(labels.begin(), labels.end()).size(), 66u);
}

TEST(AuthorClusterer, SameRecordTwiceMergesEachNameWithItsTwin) {
  auto mentions = record_1603_05976(1);
  const auto second = record_1603_05976(2);
  mentions.insert(mentions.end(), second.begin(), second.end());
  const auto labels = cluster_by_block(mentions);
  // Each of the 66 entries (stray keynames included: same string, same co-authors) pairs
  // with its copy on the other work, and with nothing else.
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), 66u);
  for (std::size_t i = 0; i < 66; ++i) EXPECT_EQ(labels[i], labels[i + 66]) << mentions[i].family;
}

TEST(AuthorClusterer, StrayKeynamesDoNotAbsorbRealPeople) {
  // "Array, Keck" and "Collaborations, BICEP2" look like people to the parser; a real
  // "K. Array" elsewhere, with other co-authors, field and decade, must not join them.
  auto mentions = record_1603_05976(1);
  auto other = sig("K.", "Array", 9, {"smith j", "doe a"});
  other.topics = {"cs.LG"};
  other.year = 2004;
  mentions.push_back(other);
  const auto labels = cluster_by_block(mentions);
  EXPECT_NE(labels[0], labels.back());
}

}  // namespace
}  // namespace bzpeer::dedupe
