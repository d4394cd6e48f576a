// The clusterer's manual-override constraints (AuthorSignature::link_group and ::apart,
// set by the store from `bzpeer author merge|split`): a link group joins what the evidence
// keeps apart, a split separates what the evidence joins, a split beats an ORCID, and a
// link group holds across the sub-blocks of a large input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/dedupe/author_clusterer.hpp"

namespace bzpeer::dedupe {
namespace {

AuthorSignature sig(std::string given, std::string family, std::int64_t work,
                    std::vector<std::string> coauthors, std::string topic) {
  AuthorSignature s;
  s.given = std::move(given);
  s.family = std::move(family);
  s.work_id = work;
  s.coauthors = std::move(coauthors);
  s.topics = {std::move(topic)};
  return s;
}

TEST(AuthorOverrides, LinkGroupJoinsWhatTheEvidenceKeepsApart) {
  std::vector<AuthorSignature> m{sig("S. S.", "Schoenholz", 1, {"liu a"}, "cond-mat.soft"),
                                 sig("Samuel S.", "Schoenholz", 2, {"sohl-dickstein j"}, "stat.ML"),
                                 sig("S.", "Schoenholz", 3, {"kim m"}, "q-bio.NC")};
  ASSERT_EQ(cluster_authors(m), (std::vector<int>{0, 1, 2})) << "precondition: three people";
  m[0].link_group = 7;
  m[1].link_group = 7;
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels[0], labels[1]);
  EXPECT_NE(labels[0], labels[2]) << "the third mention stays out";
  AuthorPairScorer scorer(m, {});
  EXPECT_TRUE(scorer.must_link(0, 1));
}

TEST(AuthorOverrides, LinkGroupOverridesNameAndSameWorkConflicts) {
  std::vector<AuthorSignature> m{sig("Jane", "Smith", 1, {"kim m"}, "q-bio.NC"),
                                 sig("John", "Smith", 2, {"ade o"}, "q-bio.NC")};
  AuthorPairScorer plain(m, {});
  ASSERT_TRUE(plain.cannot_link(0, 1)) << "precondition: incompatible given names";
  m[0].link_group = m[1].link_group = 3;
  AuthorPairScorer linked(m, {});
  EXPECT_FALSE(linked.cannot_link(0, 1));
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 0}));
}

TEST(AuthorOverrides, SplitSeparatesWhatTheEvidenceJoins) {
  std::vector<AuthorSignature> m{
      sig("Wei", "Zhang", 1, {"chen x"}, "hep-ph"), sig("Wei", "Zhang", 2, {"chen x"}, "hep-ph"),
      sig("Wei", "Zhang", 3, {"chen x"}, "hep-ph"), sig("Wei", "Zhang", 4, {"chen x"}, "hep-ph")};
  ASSERT_EQ(cluster_authors(m), (std::vector<int>{0, 0, 0, 0})) << "precondition: one person";
  // Split 5: mention 2 is side 1 (split off, with link group of its own), 0 and 1 side 0.
  // Mention 3 is new: it may join either side, but not both.
  m[0].apart = {10};
  m[1].apart = {10};
  m[2].apart = {11};
  m[2].link_group = 11;
  const auto labels = cluster_authors(m);
  EXPECT_EQ(labels[0], labels[1]);
  EXPECT_NE(labels[0], labels[2]);
  EXPECT_TRUE(labels[3] == labels[0] || labels[3] == labels[2]);
  AuthorPairScorer scorer(m, {});
  EXPECT_TRUE(scorer.cannot_link(0, 2));
  EXPECT_FALSE(scorer.cannot_link(0, 1));
  EXPECT_EQ(scorer.probability(1, 2), 0.0);
}

TEST(AuthorOverrides, SplitBeatsOrcidAndLinkGroup) {
  std::vector<AuthorSignature> m{sig("Wei", "Zhang", 1, {"chen x"}, "hep-ph"),
                                 sig("Wei", "Zhang", 2, {"chen x"}, "hep-ph")};
  m[0].orcid = m[1].orcid = "0000-0001-5109-3700";
  m[0].link_group = m[1].link_group = 4;
  ASSERT_EQ(cluster_authors(m), (std::vector<int>{0, 0}));
  m[0].apart = {2};
  m[1].apart = {3};
  AuthorPairScorer scorer(m, {});
  EXPECT_FALSE(scorer.must_link(0, 1));
  EXPECT_TRUE(scorer.cannot_link(0, 1));
  EXPECT_EQ(cluster_authors(m), (std::vector<int>{0, 1}));
}

TEST(AuthorOverrides, LinkGroupHoldsAcrossSubBlocksOfALargeInput) {
  // A large input is split by full first name first: "William" and "Bill" land in
  // different sub-blocks, which the link group must not undo.
  std::vector<AuthorSignature> m;
  for (int i = 0; i < 6; ++i) {
    m.push_back(sig(i % 2 == 0 ? "William" : "Bill", "Turner", i + 1,
                    {i % 2 == 0 ? "ode k" : "pyle r"}, i % 2 == 0 ? "astro-ph" : "cs.DB"));
  }
  AuthorClusterOptions options;
  options.large_block = 4;
  auto labels = cluster_authors(m, options);
  ASSERT_NE(labels[0], labels[1]) << "precondition: the evidence keeps them apart";
  m[0].link_group = m[1].link_group = 9;
  labels = cluster_authors(m, options);
  EXPECT_EQ(labels[0], labels[1]);
  for (int i = 2; i < 6; ++i) {
    EXPECT_EQ(labels[static_cast<std::size_t>(i)], labels[static_cast<std::size_t>(i % 2)])
        << "each name's other works stay with it, and so with the merged person";
  }
}

}  // namespace
}  // namespace bzpeer::dedupe
