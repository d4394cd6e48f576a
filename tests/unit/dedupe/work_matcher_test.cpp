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

WorkKey located(const char* title, const char* authors, int year, const char* venue,
                const char* volume, const char* pages) {
  WorkKey k = key(title, authors, year, venue);
  k.volume = volume;
  k.pages = pages;
  return k;
}

/// Volume and first page (bib-dedupe haematology, ../shared/data/eval/bib-dedupe): the
/// same item whatever the title's extras, and different items despite the same title.
TEST(WorkMatcher, VolumeAndFirstPage) {
  const PairCase cases[] = {
      {"gold: a section heading in front of the title (id_0000073/75)",
       located("MEDICAL PROGRESS Atypical Hemolytic-Uremic Syndrome", "Noris, M. and Remuzzi, G.",
               2009, "New England Journal of Medicine", "361", "1676-1687"),
       located("Atypical Hemolytic–Uremic Syndrome", "Noris, M and Remuzzi, G", 2009,
               "N Engl J Med", "361", "1676-1687"),
       Verdict::same},
      {"gold: a citation appended to the title (id_0000034/35)",
       located("More on eculizumab for congenital atypical hemolytic-uremic syndrome... N Engl "
               "J Med. 2009 Jan 29;360(5):544-6",
               "Shin, J. I. and Lee, J. S.", 2009, "New England Journal of Medicine", "360",
               "2142-2143"),
       located("More on eculizumab for congenital atypical hemolytic-uremic syndrome",
               "Shin, J. I. and Lee, J. S.", 2009, "New England Journal of Medicine", "360",
               "2142-2143"),
       Verdict::same},
      {"gold: two records of one erratum, one titled 'Erratum: …' (id_0000020/21)",
       located("Erratum: Severe deficiency of the specific von Willebrand factor-cleaving "
               "protease (ADAMTS 13) activity in a subgroup of children with atypical hemolytic "
               "uremic syndrome",
               "Veyradier,", 2003, "Journal of Pediatrics.", "142", "616-616"),
       located("Severe deficiency of the specific von Willebrand factor-cleaving protease "
               "(ADAMTS 13) activity in a subgroup of children with atypical hemolytic uremic "
               "syndrome",
               "Veyradier,", 2003, "Journal of Pediatrics", "142", "616-616"),
       Verdict::same},
      {"gold: a book series and its journal, 'c37' and '37', a year apart (id_0000149/150)",
       located("Haemolytic uraemic syndrome", "Kavanagh, D. and Goodship, T.", 2011, "Nephron",
               "118", "c37-c42"),
       located("Haemolytic uraemic syndrome", "Kavanagh, D. and Goodship, T.", 2010,
               "Nephron - Clinical Practice.", "118", "37-42"),
       Verdict::same},
      {"gold: a typo in the first page, same title and authors (id_0000196/197)",
       located("Disease recurrence in paediatric renal transplantation",
               "Cochat, P. and Fargue, S. and Mestrallet, G. and Jungraithmayr, T. and "
               "Koch-Nogueira, P. and Ranchin, B. and Zimmerhackl, L. B.",
               2009, "Pediatric Nephrology", "24", "2297-2108"),
       located("Disease recurrence in paediatric renal transplantation.",
               "Cochat, P. and Fargue, S. and Mestrallet, G. and Jungraithmayr, T. and "
               "Koch-Nogueira, P. and Ranchin, B. and Zimmerhackl, L. B.",
               2009, "Pediatric Nephrology", "24", "2097-2108"),
       Verdict::same},
      {"near miss: the paper and its erratum naming one author (id_0000018/21)",
       located("Severe deficiency of the specific von Willebrand factor-cleaving protease "
               "(ADAMTS 13) activity in a subgroup of children with atypical hemolytic uremic "
               "syndrome",
               "Veyradier, A. and Obert, B. and Haddad, E. and Cloarec, S. and Nivet, H. and "
               "Foulard, M. and Lesure, F. and Delattre, P. and Lakhdari, M. and Meyer, D. and "
               "Girma, J. P. and Loriat, C.",
               2003, "Journal of Pediatrics", "142", "310-317"),
       located("Severe deficiency of the specific von Willebrand factor-cleaving protease "
               "(ADAMTS 13) activity in a subgroup of children with atypical hemolytic uremic "
               "syndrome (vol 142, pg 310, 2003)",
               "Veyradier,", 2003, "Journal of Pediatrics", "142", "616-616"),
       Verdict::different},
      {"near miss: a yearly column, same title and authors (id_0001338/1340)",
       located("Gateways to clinical trials", "Bayes, M. and Rabasseda, X. and Prous, J. R.", 2007,
               "Methods & Findings in Experimental & Clinical Pharmacology", "29", "467-509"),
       located("Gateways to clinical trials", "Bayes, M. and Rabasseda, X. and Prous, J. R.", 2006,
               "Methods & Findings in Experimental & Clinical Pharmacology", "28", "185-206"),
       Verdict::different},
      {"near miss: two abstracts printed on one supplement page (id_0000789/1156)",
       located("Factor H and MCP haplotypes don't confer susceptibility for C3 glomerulopathy",
               "Lequintrec, M. and Servais, A. and Ngo, S. and Dragon-Durey, M. and Roumenina, L. "
               "and Fremeaux-Bacchi, V.",
               2011, "Molecular Immunology", "48", "1724"),
       located(
           "Anti-factor H auto-antibodies in C3 glomerulopathy",
           "Dragon-Durey, M. and Blanc, C. and Roumenina, L. and Chauvet, S. and Ashraf, Y. and "
           "Moulin, B. and Le Pogamp, P. and Fremeaux-Bacchi, V. and Fridman, W.",
           2011, "Molecular Immunology", "48", "1724"),
       Verdict::different},
      {"near miss: page 1 of two conferences, a year apart (digital_work id_1002388/1005430)",
       located("Evaluating Market Entry Strategies for Two-Sided Digital Platforms under "
               "Competition - A Simulation Approach",
               "Haurand, Michelle D. and Stummer, Christian", 2019,
               "International Conference on Information Systems", "", "1--9"),
       located("The Early-stage Development of two-Sided Digital Platforms - a simulation "
               "Approach",
               "Haurand, Michelle Désirée and Stummer, Christian", 2018,
               "European Conference on Information Systems", "", "1--15"),
       Verdict::different},
      {"gold: a magazine's year printed as its volume (digital_work id_2002950/4002951)",
       located("Upwork’s CEO on how an introverted engineer learned to lead", "Kasriel, S.", 2016,
               "Harvard Business Review", "2016", ""),
       located("How did it ... Upwork's CEO on how an introverted engineer learned to lead",
               "Kasriel, Stephane", 2016, "Harvard Business Review", "94", "35+"),
       Verdict::same},
  };
  for (const auto& c : cases) {
    const auto d = match(c.a, c.b);
    EXPECT_EQ(d.verdict, c.expected) << c.name << " (" << d.reason << ")";
    EXPECT_EQ(match(c.b, c.a).verdict, c.expected) << c.name << " (symmetric)";
  }
}

TEST(WorkMatcher, LocatorNumber) {
  const std::pair<const char*, const char*> cases[] = {
      {"c37-c42", "37"},  {"14, Sp. Iss. SI", "14"},
      {"S10-S11", "10"},  {"0023", "23"},
      {"499–711", "499"}, {"Suppl", ""},
      {"", ""},           {"0", "0"}};
  for (const auto& [field, expected] : cases) EXPECT_EQ(locator_number(field), expected) << field;
}

TEST(WorkMatcher, BracketedNotesDoNotDiluteTheTitle) {
  // id_0000117 vs id_0000807: "[Erratum appears in …]" appended by one database.
  const auto a =
      prepare(key("Anti-Factor H autoantibodies in a fifth renal transplant recipient "
                  "with atypical hemolytic and uremic syndrome.[Erratum appears in Am "
                  "J Transplant. 2009 Sep;9(9):2205 Note: Niauif, P [added]].[Erratum",
                  "Le, Quintrec M. and Zuber, J.", 2009, "American Journal of Transplantation"));
  const auto b =
      prepare(key("Anti-Factor H Autoantibodies in a Fifth Renal Transplant Recipient "
                  "with Atypical Hemolytic and Uremic Syndrome.",
                  "Le Quintrec, M. and Zuber, J.", 2009, "American Journal of Transplantation"));
  EXPECT_DOUBLE_EQ(title_similarity(a, b), 1.0);
  // A title that is all brackets keeps its words.
  const auto c = prepare(key("[Paroxysmal nocturnal hemoglobinuria]. [French]", "Geffray, L.", 2008,
                             "Revue de Medecine Interne"));
  EXPECT_EQ(c.core_fingerprint, c.fingerprint);
  EXPECT_FALSE(c.fingerprint.empty());
}

TEST(WorkMatcher, VersionsOfRecordAndPreprintDois) {
  const char* title = "Notes on the analytical engine";
  WorkKey a = key(title, "Lovelace, Ada", 2019, "Journal of Computing Machinery");
  WorkKey b = a;
  a.dois = {"10.1000/a"};
  b.dois = {"10.1000/b"};
  // Two versions of record: never one work, however alike.
  EXPECT_EQ(match(a, b).verdict, Verdict::different);
  EXPECT_EQ(match(a, b).reason, "different DOIs");
  // An arXiv record that names another journal DOI is still another version of record.
  b.venue = "arXiv";
  b.preprint = true;
  b.year = 2018;
  EXPECT_EQ(match(a, b).verdict, Verdict::different);
  // A preprint server's DOI (bioRxiv) and the journal's: the fuzzy tier decides.
  b.venue = "bioRxiv";
  b.dois = {"10.1101/2018.01.01.000001"};
  EXPECT_EQ(match(a, b).verdict, Verdict::same) << match(a, b).reason;
  EXPECT_EQ(match(a, b).evidence, Evidence::fuzzy);
}

TEST(WorkMatcher, ConfirmLinkNeedsTitlesOrAuthors) {
  const char* authors = "Felix A. Faber, Luke Hutchison, Bing Huang";
  const auto preprint = prepare(
      key("Machine learning prediction errors better than DFT accuracy", authors, 2017, "arXiv"));
  const auto article = prepare(
      key("Prediction errors of molecular machine learning models lower than hybrid DFT error",
          authors, 2017, "Journal of Chemical Theory and Computation"));
  const auto linked = confirm_link(preprint, article);
  EXPECT_EQ(linked.verdict, Verdict::same);
  EXPECT_EQ(linked.reason, "named version, titles agree");  // Jaccard 6/12
  EXPECT_EQ(linked.evidence, Evidence::doi);
  // A title with less in common still links through the same first author and list.
  const auto renamed = prepare(key("Molecular property benchmarks for quantum chemistry", authors,
                                   2018, "Journal of Chemical Theory and Computation"));
  EXPECT_LT(title_similarity(preprint, renamed), 0.5);
  EXPECT_EQ(confirm_link(preprint, renamed).reason, "named version, retitled, same authors");
  const auto other = prepare(key("Tectonics of the Tibetan plateau", "An Yin", 2017, "Geology"));
  EXPECT_EQ(confirm_link(preprint, other).verdict, Verdict::conflict);
}

TEST(VenueKind, Names) {
  EXPECT_EQ(venue_kind("arXiv"), VenueKind::preprint);
  EXPECT_EQ(venue_kind("Workshop of Digital Studies"), VenueKind::workshop);
  EXPECT_EQ(venue_kind("Americas Conference on Information Systems"), VenueKind::conference);
  EXPECT_EQ(venue_kind("VLDB J."), VenueKind::journal);
  // A journal's conference supplement is the journal.
  EXPECT_EQ(venue_kind("Journal of Thrombosis and Haemostasis.Conference: 23rd Congress of the "
                       "International Society on Thrombosis and Haemostasis"),
            VenueKind::journal);
  EXPECT_EQ(venue_kind("SIGMOD Record"), VenueKind::unknown);
  EXPECT_EQ(venue_kind("None"), VenueKind::unknown);
}

}  // namespace
}  // namespace bzpeer::dedupe
