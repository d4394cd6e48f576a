// The work matcher on real pairs: DBLP-ACM matches and near misses (from
// ../shared/data/eval/dblp-acm-leipzig), the retitled arXiv 1702.05532, same-title papers.
#include <gtest/gtest.h>

#include "pipeline/dedupe/author_key.hpp"
#include "pipeline/dedupe/work_matcher.hpp"

namespace bzpeer::dedupe {
namespace {

WorkKey key(const char* title, const char* authors, int year, const char* venue) {
  WorkKey k;
  k.title = title;
  k.authors = family_names(authors);
  k.year = year;
  k.venue = venue;
  return k;
}

struct PairCase {
  const char* name;
  WorkKey a, b;
  Verdict expected;
};

TEST(WorkMatcher, DblpAcmPairs) {
  const PairCase cases[] = {
      {"gold: case and punctuation",
       key("D(k)-Index: An Adaptive Structural Summary for Graph-Structured Data",
           "Chen Qun, Andrew Lim, Kian Win Ong", 2003, "SIGMOD Conference"),
       key("D(k)-index: an adaptive structural summary for graph-structured data",
           "Qun Chen, Andrew Lim, Kian Win Ong", 2003,
           "International Conference on Management of Data"),
       Verdict::same},
      {"gold: author order differs, VLDB acronym",
       key("Design, Implementation, and Performance of the LHAM Log-Structured History Data "
           "Access Method",
           "Gerhard Weikum, Peter Muth, Patrick E. O'Neil, Achim Pick", 1998, "VLDB"),
       key("Design, Implementation, and Performance of the LHAM Log-Structured History Data "
           "Access Method",
           "Peter Muth, Patrick E. O'Neil, Achim Pick, Gerhard Weikum", 1998,
           "Very Large Data Bases"),
       Verdict::same},
      {"gold: author typo and '(abstract)'",
       key("Things Every Update Replication Customer Should Know", "Rob Golding", 1995,
           "SIGMOD Conference"),
       key("Things every update replication customer should know (abstract)", "Rob Goldring", 1995,
           "International Conference on Management of Data"),
       Verdict::same},
      {"gold: subtitle dropped",
       key("Semantic Interoperability in Global Information Systems: A Brief Introduction to the "
           "Research Area and the Special Section",
           "Amit P. Sheth, Aris M. Ouksel", 1999, "SIGMOD Record"),
       key("Semantic interoperability in global information systems", "A. M. Ouksel, A. Sheth",
           1999, "ACM SIGMOD Record "),
       Verdict::same},
      {"near miss: VLDB 2002 paper vs its VLDB Journal 2003 version",
       key("Fast and Accurate Text Classification via Multiple Linear Discriminant Projections",
           "Mahesh V. Soundalgekar, Soumen Chakrabarti, Shourya Roy", 2002, "VLDB"),
       key("Fast and accurate text classification via multiple linear discriminant projections",
           "Soumen Chakrabarti, Shourya Roy, Mahesh V. Soundalgekar", 2003,
           "The VLDB Journal &mdash; The International Journal on Very Large Data Bases "),
       Verdict::different},
      {"near miss: recurring column, one shared author of three",
       key("Reminiscences on Influential Papers", "Kenneth A. Ross, Jianguo Shim, Mary Fernandez",
           2002, "SIGMOD Record"),
       key("Reminiscences on influential papers",
           "Kenneth A. Ross, Theodore Johnson, Richard "
           "Snodgrass",
           2002, "ACM SIGMOD Record "),
       Verdict::different},
      {"near miss: generic column title",
       key("Treasurer's Message", "Joachim Hammer", 2001, "SIGMOD Record"),
       key("Treasurer's message", "Joachim Hammer", 2001, "ACM SIGMOD Record "),
       Verdict::different},
  };
  for (const auto& c : cases) {
    const auto d = match(c.a, c.b);
    EXPECT_EQ(d.verdict, c.expected) << c.name << " (" << d.reason << ")";
    EXPECT_EQ(match(c.b, c.a).verdict, c.expected) << c.name << " (symmetric)";
  }
}

/// arXiv 1702.05532 and its JCTC version: same ten authors, a new title.
TEST(WorkMatcher, RetitledPublishedVersionOnlyThroughItsDoi) {
  const char* authors =
      "Felix A. Faber, Luke Hutchison, Bing Huang, Justin Gilmer, Samuel S. Schoenholz, "
      "George E. Dahl, Oriol Vinyals, Steven Kearnes, Patrick F. Riley, O. Anatole von "
      "Lilienfeld";
  WorkKey preprint =
      key("Machine learning prediction errors better than DFT accuracy", authors, 2017, "arXiv");
  preprint.arxiv_id = "1702.05532";
  preprint.preprint = true;
  WorkKey article =
      key("Prediction errors of molecular machine learning models lower than hybrid DFT error",
          authors, 2017, "Journal of Chemical Theory and Computation");
  article.dois = {"10.1021/acs.jctc.7b00577"};

  // Tier 2 alone does not merge them: the titles share too little.
  const auto fuzzy = match(preprint, article);
  EXPECT_EQ(fuzzy.verdict, Verdict::different) << fuzzy.reason;
  EXPECT_LT(fuzzy.title_similarity, 0.8);
  EXPECT_DOUBLE_EQ(fuzzy.author_overlap, 1.0);

  // The arXiv record's `doi` field links them: same DOI, same authors, new title → merge.
  preprint.dois = {"https://doi.org/10.1021/ACS.JCTC.7B00577"};
  const auto linked = match(preprint, article);
  EXPECT_EQ(linked.verdict, Verdict::same) << linked.reason;
  EXPECT_EQ(linked.evidence, Evidence::doi);

  // The same DOI on a paper by other people with another title is flagged, not merged.
  WorkKey other = key("Understanding Information Privacy Assimilation in IT Organizations",
                      "Attili, V. S. Prakash and Mathew, Saji K.", 2018, "CAIS");
  other.dois = article.dois;
  EXPECT_EQ(match(other, article).verdict, Verdict::conflict);
}

TEST(WorkMatcher, ArxivDoiIsTheArxivId) {
  WorkKey a = key("Some title of a paper", "A. Author", 2022, "arXiv");
  a.arxiv_id = "2201.00001";
  WorkKey b = key("A completely different title", "B. Other", 2023, "");
  b.dois = {"10.48550/arXiv.2201.00001"};
  EXPECT_EQ(match(a, b).verdict, Verdict::same);
  b.dois = {"10.48550/arXiv.2201.00002"};
  EXPECT_EQ(match(a, b).verdict, Verdict::different);
}

TEST(WorkMatcher, SameTitleDifferentPapersStayApart) {
  // "Introduction to the Minitrack on …" at HICSS 2021 and 2022 (bib-dedupe data), and a
  // common title by different people.
  const char* t = "Introduction to the Minitrack on Crowdsourcing and Digital Workforce";
  const auto a = key(t, "Deng, Xuefei and Taylor, Joseph", 2021, "HICSS");
  const auto b = key(t, "Deng, Xuefei and Taylor, Joseph", 2024, "HICSS");
  EXPECT_EQ(match(a, b).verdict, Verdict::different);
  const auto c = key("Deep learning", "Yann LeCun, Yoshua Bengio, Geoffrey Hinton", 2015, "Nature");
  const auto d = key("Deep learning", "Ian Goodfellow, Aaron Courville", 2015, "Nature");
  EXPECT_EQ(match(c, d).verdict, Verdict::different);
  EXPECT_EQ(match(c, d).reason, "disjoint authors");
  WorkKey e = key(t, "Deng, Xuefei", 2021, "arXiv");
  WorkKey f = e;
  e.arxiv_id = "2101.00001";
  f.arxiv_id = "2101.00002";
  EXPECT_EQ(match(e, f).verdict, Verdict::different);  // two arXiv ids are two works
}

TEST(WorkCluster, GroupsAndGuards) {
  const char* t = "Reputation offsets trust judgments based on social biases among Airbnb users";
  std::vector<WorkKey> works = {
      key(t, "Abrahao, Bruno and Parigi, Paolo", 2017, "PNAS"),
      key(t, "B. Abrahao; P. Parigi", 2017, ""),
      key("Treasurer's message", "Hammer", 2017, ""),
      key(t, "Someone Else", 2017, ""),
  };
  const auto labels = cluster(works);
  EXPECT_EQ(labels, (std::vector<int>{0, 0, 2, 3}));
  const auto keys = blocking_keys(prepare(works[0]));
  EXPECT_FALSE(keys.empty());
  EXPECT_TRUE(cluster(std::vector<WorkKey>{}).empty());
}

TEST(VenueKind, Names) {
  EXPECT_EQ(venue_kind("arXiv"), VenueKind::preprint);
  EXPECT_EQ(venue_kind("Workshop of Digital Studies"), VenueKind::workshop);
  EXPECT_EQ(venue_kind("Americas Conference on Information Systems"), VenueKind::conference);
  EXPECT_EQ(venue_kind("VLDB J."), VenueKind::journal);
  EXPECT_EQ(venue_kind("SIGMOD Record"), VenueKind::unknown);
  EXPECT_EQ(venue_kind("None"), VenueKind::unknown);
}

}  // namespace
}  // namespace bzpeer::dedupe
