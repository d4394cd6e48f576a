// Tests for parse_arxiv_authors: arXiv's author-string conventions, and a check against
// arXiv's own decoding (`authors_parsed`) of 150 real Kaggle-snapshot lines.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::normalise {
namespace {

/// One line per name: "given|family|suffix|affiliation", collaborations as "[C] name".
std::string render(const std::vector<ParsedName>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += "\n";
    if (n.is_collaboration) {
      out += "[C] " + n.printed;
      if (!n.affiliation.empty()) out += "|" + n.affiliation;
    } else {
      out += n.given + "|" + n.family + "|" + n.suffix + "|" + n.affiliation;
    }
  }
  return out;
}

struct AuthorsCase {
  const char* input;
  const char* expected;
};

class ParseArxivAuthors : public ::testing::TestWithParam<AuthorsCase> {};

TEST_P(ParseArxivAuthors, Parses) {
  EXPECT_EQ(render(parse_arxiv_authors(GetParam().input)), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Separators, ParseArxivAuthors,
    ::testing::Values(
        // oaipmh testdb 0906.3421
        AuthorsCase{"P. Di Francesco and R. Kedem", "P.|Di Francesco||\nR.|Kedem||"},
        // oai-arxiv mikesaelim 0704.0471: ", and"
        AuthorsCase{"D.V. Shetty, S.J. Yennello, and G.A. Souliotis",
                    "D. V.|Shetty||\nS. J.|Yennello||\nG. A.|Souliotis||"},
        // testdb 1007.5339: several " and "
        AuthorsCase{"G. Sinuco-Le\\'on and B. Kaczmarek and P. Kr\\\"uger and T.M. Fromhold",
                    "G.|Sinuco-Le\u00F3n||\nB.|Kaczmarek||\nP.|Kr\u00FCger||\nT. M.|Fromhold||"},
        AuthorsCase{"A. Person & B. Other", "A.|Person||\nB.|Other||"},
        AuthorsCase{"Anatoly Zlotnik and Jr-Shin Li", "Anatoly|Zlotnik||\nJr-Shin|Li||"},
        AuthorsCase{"John Von Neumann", "John|Von Neumann||"},
        AuthorsCase{"Herbert Van de Sompel", "Herbert|Van de Sompel||"},
        AuthorsCase{"Thomas N. Gautier III", "Thomas N.|Gautier|III|"},
        // arxiv-abs (PHENIX author list): "\\," between the name and its suffix
        AuthorsCase{"M. Finger, M. Finger,\\, Jr., F. Fleuret",
                    "M.|Finger||\nM.|Finger|Jr.|\nF.|Fleuret||"},
        AuthorsCase{"Fred Bloggs, Jr, and Ann Other", "Fred|Bloggs|Jr|\nAnn|Other||"},
        AuthorsCase{"Paul Harvey, Nicholas\n  Chapman, Neal J. Evans II",  // kaggle 0704.0009
                    "Paul|Harvey||\nNicholas|Chapman||\nNeal J.|Evans|II|"},
        AuthorsCase{"", ""}, AuthorsCase{" , and ; ", ""}));

INSTANTIATE_TEST_SUITE_P(
    Affiliations, ParseArxivAuthors,
    ::testing::Values(
        AuthorsCase{"Author One (1), Author Two (1 and 2) ((1) Inst One, (2) Inst Two)",
                    "Author|One||Inst One\nAuthor|Two||Inst One; Inst Two"},
        AuthorsCase{"a.b.first, c.d.second (affil)", "a. b.|first||affil\nc. d.|second||affil"},
        // testdb 0712.3217, as stored (doubled backslashes): each author has their own
        AuthorsCase{"Francois Delarue (PMA), Fr\\\\'ed\\\\'eric Lagouti\\\\`ere (LJLL)",
                    "Francois|Delarue||PMA\nFr\u00E9d\u00E9ric|Lagouti\u00E8re||LJLL"},
        // kaggle 0704.0052: numbered affiliation resolved
        AuthorsCase{"Arthur Jaffe (1) and Gordon Ritter (1) ((1) Harvard University)",
                    "Arthur|Jaffe||Harvard University\nGordon|Ritter||Harvard University"},
        // testdb 1011.5740: comma before the list
        AuthorsCase{"P. Saracco (1), M. Longhetti (1), A. Gargiulo (1), ((1) INAF - "
                    "Osservatorio Astronomico di Brera, Milano, Italy)",
                    "P.|Saracco||INAF - Osservatorio Astronomico di Brera, Milano, Italy\n"
                    "M.|Longhetti||INAF - Osservatorio Astronomico di Brera, Milano, Italy\n"
                    "A.|Gargiulo||INAF - Osservatorio Astronomico di Brera, Milano, Italy"},
        // testdb 1012.0396: no commas between list entries, nested parentheses inside
        AuthorsCase{"Sachindra Naik (1), Biswajit Paul (2), Santosh V. Vadawale (1) ((1) "
                    "Astronomy and Astrophysics Division, Physical Research Laboratory (2) Raman "
                    "Research Institute)",
                    "Sachindra|Naik||Astronomy and Astrophysics Division, Physical Research "
                    "Laboratory\nBiswajit|Paul||Raman Research Institute\nSantosh V.|Vadawale||"
                    "Astronomy and Astrophysics Division, Physical Research Laboratory"},
        // kaggle 0704.0139: bare-number list separated by ';' and ','
        AuthorsCase{"B. Lanzoni (1,2), F.R. Ferraro (1), C. Mancini\n  (3) (1\n  Dip. Astro., "
                    "Bologna; 2 INAF--Oss. Astro., Bologna, 3 Dip. Astro. e Scienza\n  dello "
                    "Spazio, Firenze)",
                    "B.|Lanzoni||Dip. Astro., Bologna; INAF\u2013Oss. Astro., Bologna\n"
                    "F. R.|Ferraro||Dip. Astro., Bologna\n"
                    "C.|Mancini||Dip. Astro. e Scienza dello Spazio, Firenze"},
        // kaggle 0704.0113: one affiliation at the end of a run goes to the whole run
        AuthorsCase{"Xiaolin Li, Li Zhang, and Hongjie Dai (Department of Chemistry, Stanford "
                    "University.)",
                    "Xiaolin|Li||Department of Chemistry, Stanford University.\n"
                    "Li|Zhang||Department of Chemistry, Stanford University.\n"
                    "Hongjie|Dai||Department of Chemistry, Stanford University."},
        AuthorsCase{"A. One (X), B. Two, C. Three (Y)", "A.|One||X\nB.|Two||Y\nC.|Three||Y"},
        AuthorsCase{"A. One (X), B. Two, C. Three", "A.|One||X\nB.|Two||\nC.|Three||"},
        AuthorsCase{"sum won ((lab a), (lab b))", "sum|won||"},
        AuthorsCase{"A. One (3), B. Two (1) ((1) X)", "A.|One||\nB.|Two||X"},
        AuthorsCase{"A. One (1-2) ((1) X, (2) Y)", "A.|One||X; Y"},
        // testdb 1102.0452: "(Eds.)" is not an affiliation
        AuthorsCase{"Valerio Bozza, Gaetano Scarpetta (Eds.)",
                    "Valerio|Bozza||\nGaetano|Scarpetta||"},
        // testdb 1102.0348 (LHCb): "(Chiojdeanu)" is a former name in the middle of the list
        AuthorsCase{"C. Patrignani, E. Pauna, C. Pauna (Chiojdeanu), C. Pavel (Nicorescu), A. "
                    "Pazos Alvarez",
                    "C.|Patrignani||\nE.|Pauna||\nC.|Pauna||Chiojdeanu\nC.|Pavel||Nicorescu\n"
                    "A. Pazos|Alvarez||"},
        AuthorsCase{"A. One, B. Two, et al. (Inst)", "A.|One||Inst\nB.|Two||Inst"},
        // arxiv-browse test .abs: a nickname in parentheses inside the name
        AuthorsCase{"Kadeem Dennis, Zhe (Rita) Liang, Matei I. Radulescu",
                    "Kadeem|Dennis||\nZhe|Liang||\nMatei I.|Radulescu||"},
        AuthorsCase{"A. One (unclosed", "A.|One||unclosed"},
        AuthorsCase{"A. One) B", "A.|One||\n|B||"}));

// Real malformed TeX from arxiv-oaipmh-testdb (stored with doubled backslashes).
INSTANTIATE_TEST_SUITE_P(
    GluedTexMacros, ParseArxivAuthors,
    ::testing::Values(AuthorsCase{R"(Umut A. Y\\ild\\iz, Jes K. J\\orgensen)",  // 1102.0205 v1
                                  "Umut A.|Y\u0131ld\u0131z||\nJes K.|J\u00F8rgensen||"},
                      AuthorsCase{R"(\\'S.R.Gal and J.K\\kedra)",  // 1102.0423
                                  "\u015A. R.|Gal||\nJ.|K\u0119dra||"},
                      AuthorsCase{R"(J. Lefran\\ccois, P.M. Bj\\ornstad)",  // 1102.0348
                                  "J.|Lefran\u00E7ois||\nP. M.|Bj\u00F8rnstad||"},
                      AuthorsCase{
                          R"(Jes K. J\orgensen and A. \it B)",  // `\it` is not split into ı + "t"
                          "Jes K.|J\u00F8rgensen||\nA.|B||"}));

INSTANTIATE_TEST_SUITE_P(
    CollaborationsAndEtAl, ParseArxivAuthors,
    ::testing::Values(AuthorsCase{"BELLE Collaboration: A Person, Nother Person",
                                  "[C] BELLE Collaboration\nA|Person||\nNother|Person||"},
                      AuthorsCase{"BELLE Collaboration: A Person, Nother Person (KEK)",
                                  "[C] BELLE Collaboration\nA|Person||KEK\nNother|Person||KEK"},
                      // kaggle 0704.0020
                      AuthorsCase{"The BABAR Collaboration, B. Aubert, et al",
                                  "[C] The BABAR Collaboration\nB.|Aubert||"},
                      // testdb 1102.0318
                      AuthorsCase{"X. Zhan, et al. (for the Jefferson Lab Hall A Collaboration)",
                                  "X.|Zhan||\n[C] the Jefferson Lab Hall A Collaboration"},
                      // testdb 1102.0436
                      AuthorsCase{"Louise Oakes (the CDF Collaboration)",
                                  "Louise|Oakes||\n[C] the CDF Collaboration"},
                      // testdb 1102.0205 v2
                      AuthorsCase{
                          "Umut A. Yildiz, Ewine F. van Dishoeck, Michiel R. Hogerheijde, and the "
                          "WISH Team",
                          "Umut A.|Yildiz||\nEwine F.|van Dishoeck||\nMichiel R.|Hogerheijde||\n"
                          "[C] the WISH Team"},
                      AuthorsCase{"A. Person et al.", "A.|Person||"},
                      AuthorsCase{"A. Person, for the Belle Collaboration",
                                  "A.|Person||\n[C] the Belle Collaboration"},
                      AuthorsCase{"LIGO Scientific Collaboration and Virgo Collaboration",
                                  "[C] LIGO Scientific Collaboration\n[C] Virgo Collaboration"}));

TEST(ParseArxivAuthors, NeverCrashesOnNastyInput) {
  const std::string nasty[] = {std::string(2000, '('),
                               std::string(2000, ')'),
                               std::string(2000, ','),
                               "((1)",
                               "(1) ((1)",
                               "((((1) a",
                               "A (99999999999)",
                               "A (1-99999) ((1) x)",
                               "and and and",
                               std::string("\0\xff\xfe", 3),
                               "A (1) (1 ",
                               "\\",
                               "{\\"};
  for (const auto& s : nasty) {
    const auto names = parse_arxiv_authors(s);
    EXPECT_LE(names.size(), s.size() + 1);
  }
}

// ---- Kaggle snapshot: compare with arXiv's own authors_parsed -------------------------

/// Decodes the JSON string starting at s[i] == '"'; leaves i after the closing quote.
std::string json_string(const std::string& s, std::size_t& i) {
  std::string out;
  ++i;
  while (i < s.size() && s[i] != '"') {
    if (s[i] != '\\') {
      out += s[i++];
      continue;
    }
    const char e = s[++i];
    ++i;
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        auto hex4 = [&](std::size_t at) { return std::stoul(s.substr(at, 4), nullptr, 16); };
        unsigned long cp = hex4(i);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && s.compare(i, 2, "\\u") == 0) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(i + 2) - 0xDC00);
          i += 6;
        }
        std::string enc;
        if (cp < 0x80) {
          enc += static_cast<char>(cp);
        } else if (cp < 0x800) {
          enc += static_cast<char>(0xC0 | (cp >> 6));
          enc += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          enc += static_cast<char>(0xE0 | (cp >> 12));
          enc += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          enc += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          enc += static_cast<char>(0xF0 | (cp >> 18));
          enc += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          enc += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          enc += static_cast<char>(0x80 | (cp & 0x3F));
        }
        out += enc;
        break;
      }
      default: out += e; break;  // \" \\ \/
    }
  }
  ++i;
  return out;
}

struct KaggleLine {
  std::string id;
  std::string authors;
  std::vector<std::vector<std::string>> parsed;  // [last, first, suffix, (affiliation)]
};

/// Position just after `"key":` and any spaces, or npos.
std::size_t field(const std::string& line, const std::string& key) {
  std::size_t i = line.find("\"" + key + "\":");
  if (i == std::string::npos) return i;
  i += key.size() + 3;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

KaggleLine parse_line(const std::string& line) {
  KaggleLine k;
  std::size_t i = field(line, "id");
  if (i != std::string::npos && line[i] == '"') k.id = json_string(line, i);
  i = field(line, "authors");
  if (i != std::string::npos && line[i] == '"') k.authors = json_string(line, i);
  i = field(line, "authors_parsed");
  if (i == std::string::npos || line[i] != '[') return k;
  ++i;
  int depth = 1;
  while (i < line.size() && depth > 0) {
    const char c = line[i];
    if (c == '[') {
      ++depth;
      k.parsed.emplace_back();
      ++i;
    } else if (c == ']') {
      --depth;
      ++i;
    } else if (c == '"' && !k.parsed.empty()) {
      k.parsed.back().push_back(json_string(line, i));
    } else {
      ++i;
    }
  }
  return k;
}

std::string without_spaces(std::string s) {
  std::erase(s, ' ');
  return s;
}

bool is_reference_marker(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789,; and") == std::string::npos;
}

TEST(ParseArxivAuthors, AgreesWithKaggleAuthorsParsed) {
  std::ifstream in(std::string(BZPEER_FIXTURES) +
                   "/normalise/arxiv-metadata-oai-snapshot_head_0704.0001-0704.0150.jsonl");
  ASSERT_TRUE(in) << "fixture missing";
  std::string line;
  int lines = 0;
  int names = 0;
  while (std::getline(in, line)) {
    const KaggleLine k = parse_line(line);
    ++lines;
    ASSERT_FALSE(k.authors.empty()) << "line " << lines;
    ASSERT_FALSE(k.parsed.empty()) << k.id;
    const auto got = parse_arxiv_authors(k.authors);
    ASSERT_EQ(got.size(), k.parsed.size()) << k.id << ": " << k.authors;
    for (std::size_t n = 0; n < got.size(); ++n) {
      const auto& truth = k.parsed[n];
      ASSERT_GE(truth.size(), 3U) << k.id;
      ++names;
      EXPECT_EQ(got[n].family, truth[0]) << k.id << " #" << n;
      // arXiv spaces hyphenated initials ("C. -P."); we keep "C.-P.".
      EXPECT_EQ(without_spaces(got[n].given), without_spaces(truth[1])) << k.id << " #" << n;
      EXPECT_EQ(got[n].suffix, truth[2]) << k.id << " #" << n;
      // arXiv leaves numbered references ("1 and 2") unresolved; we resolve them.
      if (truth.size() >= 4 && !is_reference_marker(truth[3])) {
        EXPECT_EQ(got[n].affiliation, collapse_whitespace(truth[3])) << k.id << " #" << n;
      }
    }
  }
  EXPECT_EQ(lines, 150);
  EXPECT_EQ(names, 374);
}

}  // namespace
}  // namespace bzpeer::normalise
