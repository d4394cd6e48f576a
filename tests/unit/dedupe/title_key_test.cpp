// Title normalisation, similarities, author family names and the CSV reader, on real
// strings (DBLP-ACM, bib-dedupe, arXiv, Crossref JATS).
#include <gtest/gtest.h>

#include "pipeline/dedupe/author_key.hpp"
#include "pipeline/dedupe/csv_table.hpp"
#include "pipeline/dedupe/similarity.hpp"
#include "pipeline/dedupe/title_key.hpp"

namespace bzpeer::dedupe {
namespace {

struct TitleCase {
  const char* raw;
  const char* normalised;
};

TEST(NormaliseTitle, RealTitles) {
  const TitleCase cases[] = {
      // DBLP vs ACM spelling of one title (case, punctuation).
      {"D(k)-Index: An Adaptive Structural Summary for Graph-Structured Data",
       "d k index an adaptive structural summary for graph structured data"},
      // TeX accents and math from arXiv metadata; `$` dropped, maths kept as text.
      {"Pr{\\\"u}fer codes for the $\\alpha$-model", "prufer codes for the alpha model"},
      {"\\emph{Ab initio} study of Sch\\\"odinger", "ab initio study of schodinger"},
      // Crossref JATS tags and entities.
      {"<jats:italic>In situ</jats:italic> growth of MoS<jats:sub>2</jats:sub> &amp; WS2",
       "in situ growth of mos 2 and ws2"},
      // ACM's HTML entities.
      {"Rodr&#237;guez &mdash; a study", "rodriguez a study"},
      // Unicode dashes and quotes (bib-dedupe haematology).
      {"Atypical Hemolytic\u2013Uremic Syndrome", "atypical hemolytic uremic syndrome"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(normalise_title(c.raw), c.normalised) << c.raw;
}

TEST(TitleFingerprint, SpellingsOfOneTitleAgree) {
  const std::pair<const char*, const char*> same[] = {
      {"Garbage Collection in Object-Oriented Databases Using Transactional Cyclic Reference "
       "Counting",
       "Garbage collection in object oriented databases using transactional cyclic reference "
       "counting"},
      {"Things Every Update Replication Customer Should Know",
       "Things every update replication customer should know (abstract)"},
      {"XML Data Management: Go Native or Spruce up Relational Systems? (Panel Abstract)",
       "XML data management: go native or spruce up relational systems?"},
      {"Information Warfare and Security - Book Review", "Information warfare and security"},
      {"Complement dysfunction in hemolytic uremic syndrome",
       "Complement dysfunction in hemolytic uremic syndrome."},
  };
  for (const auto& [a, b] : same) EXPECT_EQ(title_fingerprint(a), title_fingerprint(b)) << a;
  EXPECT_EQ(title_fingerprint("The Studies of Models"), "study model");
  EXPECT_NE(title_fingerprint("Cultural Universality Versus Particularity in CMC"),
            title_fingerprint("Commitment in a Virtual Team"));
}

TEST(TitleNumbers, PartsAndVolumes) {
  EXPECT_EQ(title_numbers(normalise_title("Quantum groups, Part II")),
            std::vector<std::string>{"ii"});
  EXPECT_EQ(title_numbers(normalise_title("Part I: the theory")), std::vector<std::string>{"i"});
  EXPECT_EQ(title_numbers(normalise_title("A Review of 40 Years of Research")),
            std::vector<std::string>{"40"});
  EXPECT_TRUE(title_numbers(normalise_title("Model V of the universe")).empty());
  EXPECT_NE(title_numbers(normalise_title("CAIS Volume 52 Paper 45")),
            title_numbers(normalise_title("CAIS Volume 52 Paper 41")));
}

TEST(GenericTitle, NeverMergedOnTitleAlone) {
  for (const char* t :
       {"Editorial", "Book review", "UNKNOWN", "Reply", "Erratum",
        "Comment on \"Dark matter halos\"", "Treasurer's Message", "Book Review Column",
        "Remarks from MIS Quarterly Editor - Editor's Comments", ""}) {
    EXPECT_TRUE(is_generic_title(normalise_title(t))) << t;
  }
  for (const char* t : {"Book review: Edited by TONY CORNFORD Reengineering the Corporation",
                        "Machine learning prediction errors better than DFT accuracy"}) {
    EXPECT_FALSE(is_generic_title(normalise_title(t))) << t;
  }
}

TEST(Similarity, Values) {
  EXPECT_DOUBLE_EQ(token_jaccard({"a", "b"}, {"b", "c"}), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(token_containment({"a", "b"}, {"a", "b", "c"}), 1.0);
  EXPECT_DOUBLE_EQ(edit_similarity("golding", "goldring"), 1.0 - 1.0 / 8.0);
  EXPECT_DOUBLE_EQ(edit_similarity("abc", "abcdefghij", 0.5), 0.0);  // cut off early
  EXPECT_GT(trigram_similarity("database", "data base"), 0.6);
  EXPECT_DOUBLE_EQ(trigram_similarity("", ""), 0.0);
}

struct AuthorCase {
  const char* field;
  std::vector<std::string> families;
};

TEST(FamilyNames, ExportStyles) {
  const AuthorCase cases[] = {
      {"Zuber, J and Le Quintrec, M and Sberro-Soussan, R",
       {"Zuber", "Le Quintrec", "Sberro-Soussan"}},
      {"B. Abrahao; P. Parigi; A. Gupta; K. S. Cook", {"Abrahao", "Parigi", "Gupta", "Cook"}},
      {"Clark, Justin; Barton, Belinda", {"Clark", "Barton"}},
      {"Gottfried Vossen, Mathias Weske", {"Vossen", "Weske"}},
      {"Tan A.Schulze A.O'Donnell C. P.Davis P. G.", {"Tan", "Schulze", "O'Donnell", "Davis"}},
      {"Li Z. M.Kong C. Y.Zhang S. L.", {"Li", "Kong", "Zhang"}},
      {"Smith, John", {"Smith"}},
      {"UNKNOWN", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(family_names(c.field), c.families) << c.field;
  EXPECT_EQ(family_key("von Lilienfeld"), "lilienfeld");
  EXPECT_EQ(family_key("O'Donnell"), "odonnell");
  EXPECT_TRUE(family_keys_match("golding", "goldring"));
  EXPECT_TRUE(family_keys_match("albarqo", "albarqouni"));
  EXPECT_FALSE(family_keys_match("hall", "ball"));
}

TEST(Csv, QuotesNewlinesAndLatin1) {
  const auto t = parse_csv("\"id\",\"title\",x\r\n1,\"a, \"\"b\"\"\nc\",\r\n\r\n2,plain\n");
  ASSERT_EQ(t.header, (std::vector<std::string>{"id", "title", "x"}));
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_EQ(t.rows[0][1], "a, \"b\"\nc");
  EXPECT_EQ(t.rows[0][2], "");
  EXPECT_EQ(t.rows[1][1], "plain");
  EXPECT_EQ(t.cell(t.rows[1], t.column("x")), "");
  EXPECT_EQ(t.column("missing"), -1);
  EXPECT_EQ(to_utf8("Ugur \xC7"
                    "etintemel"),
            "Ugur \xC3\x87"
            "etintemel");
  EXPECT_EQ(to_utf8("\xEF\xBB\xBFJ\xC3\xB6rg"), "J\xC3\xB6rg");
  EXPECT_EQ(decode_entities("J&#225;J&#xE1; &amp; &bogus; &"), "J\xC3\xA1J\xC3\xA1 & &bogus; &");
}

}  // namespace
}  // namespace bzpeer::dedupe
