// Tests for parse_person_name, name_block_key, given_names_compatible and helpers.
#include "pipeline/normalise/names.hpp"

#include <gtest/gtest.h>

namespace bzpeer::normalise {
namespace {

struct PersonCase {
  const char* input;
  const char* given;
  const char* family;
  const char* suffix;
};

class ParsePersonName : public ::testing::TestWithParam<PersonCase> {};

TEST_P(ParsePersonName, Splits) {
  const auto& c = GetParam();
  const ParsedName p = parse_person_name(c.input);
  EXPECT_EQ(p.given, c.given) << c.input;
  EXPECT_EQ(p.family, c.family) << c.input;
  EXPECT_EQ(p.suffix, c.suffix) << c.input;
  EXPECT_FALSE(p.is_collaboration);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParsePersonName,
    ::testing::Values(
        PersonCase{"P. Di Francesco", "P.", "Di Francesco", ""},  // oaipmh testdb 0906.3421
        PersonCase{"Thomas N. Gautier III", "Thomas N.", "Gautier", "III"},
        PersonCase{"Neal J. Evans II", "Neal J.", "Evans", "II"},            // kaggle 0704.0009
        PersonCase{"A. A. Abdumalikov Jr.", "A. A.", "Abdumalikov", "Jr."},  // testdb 1010.3617
        PersonCase{"Jr-Shin Li", "Jr-Shin", "Li", ""},
        PersonCase{"John Von Neumann", "John", "Von Neumann", ""},
        PersonCase{"Herbert Van de Sompel", "Herbert", "Van de Sompel", ""},
        PersonCase{"Johannes Diderik van der Waals", "Johannes Diderik", "van der Waals", ""},
        PersonCase{"Robert P. C. de Marrais", "Robert P. C.", "de Marrais", ""},  // kaggle
        PersonCase{"C. Le Bris", "C.", "Le Bris", ""},                // testdb 1102.0325
        PersonCase{"A. H. Castro Neto", "A. H. Castro", "Neto", ""},  // kaggle 0704.0114
        PersonCase{"Ricardo Parreira da Silva", "Ricardo Parreira", "da Silva", ""},
        PersonCase{"del Norte", "del", "Norte", ""},
        PersonCase{"S.M. Warner", "S. M.", "Warner", ""},
        PersonCase{"J.P.Hague", "J. P.", "Hague", ""},             // kaggle 0704.0030
        PersonCase{"N.d'Ambrumenil", "N.", "d'Ambrumenil", ""},    // kaggle 0704.0030
        PersonCase{"Yu.N. Kosovtsov", "Yu. N.", "Kosovtsov", ""},  // kaggle 0704.0072
        PersonCase{"C.-P. Yuan", "C.-P.", "Yuan", ""},             // kaggle 0704.0001
        PersonCase{"T. F.Li", "T. F.", "Li", ""},                  // testdb 1010.3617
        PersonCase{"S C Tiwari", "S C", "Tiwari", ""},             // kaggle 0704.0137
        PersonCase{"Sudha", "", "Sudha", ""},                      // kaggle 0704.0147
        PersonCase{R"(P\'eter E. Frenkel)", "P\u00E9ter E.", "Frenkel", ""},
        PersonCase{R"(Mikkel {\O}bro)", "Mikkel", "\u00D8bro", ""},
        PersonCase{"Dr. John Smith", "John", "Smith", ""},
        PersonCase{"A. Ramanathan \\ast", "A.", "Ramanathan", ""},  // testdb 1101.0019
        PersonCase{"Wang, Shang-Yung", "Shang-Yung", "Wang", ""},
        PersonCase{"Miller, Steven J.", "Steven J.", "Miller", ""},  // oai_dc creator
        PersonCase{"Fred Bloggs, Jr", "Fred", "Bloggs", "Jr"}, PersonCase{"  ", "", "", ""},
        PersonCase{"", "", "", ""}));

TEST(ParsePersonName, PrintedKeepsTheTextAsWritten) {
  const ParsedName p = parse_person_name("Tom\\'a\\v{s}\n  Vina\\v{r}");
  EXPECT_EQ(p.printed, "Tom\u00E1\u0161 Vina\u0159");
  EXPECT_EQ(p.given, "Tom\u00E1\u0161");
}

TEST(IsCollaborationName, Recognises) {
  EXPECT_TRUE(is_collaboration_name("BELLE Collaboration"));
  EXPECT_TRUE(is_collaboration_name("The BABAR Collaboration"));
  EXPECT_TRUE(is_collaboration_name("LHCb collaboration"));
  EXPECT_TRUE(is_collaboration_name("the WISH Team"));
  EXPECT_TRUE(is_collaboration_name("Planck Consortium"));
  EXPECT_FALSE(is_collaboration_name("Anatoly Zlotnik"));
  EXPECT_FALSE(is_collaboration_name("Team"));
  EXPECT_FALSE(is_collaboration_name(""));
}

TEST(StripParticles, DropsLeadingParticles) {
  EXPECT_EQ(strip_particles("van der Waals"), "Waals");
  EXPECT_EQ(strip_particles("Di Francesco"), "Francesco");
  EXPECT_EQ(strip_particles("Van de Sompel"), "Sompel");
  EXPECT_EQ(strip_particles("Smith"), "Smith");
  EXPECT_EQ(strip_particles("De"), "De");
  EXPECT_EQ(strip_particles(""), "");
}

struct KeyCase {
  const char* given;
  const char* family;
  const char* key;
};

class NameBlockKey : public ::testing::TestWithParam<KeyCase> {};

TEST_P(NameBlockKey, Folds) {
  EXPECT_EQ(name_block_key(GetParam().given, GetParam().family), GetParam().key);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NameBlockKey,
    ::testing::Values(
        KeyCase{"Samuel S.", "Sch\u00F6nholz", "schonholz s"},
        KeyCase{"S. S.", "Schoenholz", "schonholz s"}, KeyCase{"Anna", "Mueller", "muller a"},
        KeyCase{"Anna", "M\u00FCller", "muller a"}, KeyCase{"Uwe", "Jaeger", "jager u"},
        KeyCase{"Xin", "Xue", "xue x"}, KeyCase{"Kwok", "Yuen", "yuen k"},
        KeyCase{"Juan", "Vasquez", "vasquez j"}, KeyCase{"Carla", "de Oliveira", "oliveira c"},
        KeyCase{"", "Sch\u00F6nholz", "schonholz"}, KeyCase{"\u00C9mile", "Borel", "borel e"},
        KeyCase{"Shang-Yung", "Wang", "wang s"}, KeyCase{"Wael", "Abu-Shammala", "abu shammala w"},
        KeyCase{"Johannes", "van der Waals", "waals j"}, KeyCase{"Mikkel", "\u00D8bro", "obro m"},
        KeyCase{"\u674E", "\u738B", "\u738B \u674E"}, KeyCase{"John", "", ""}));

struct CompatCase {
  const char* a;
  const char* b;
  bool compatible;
};

class GivenNamesCompatible : public ::testing::TestWithParam<CompatCase> {};

TEST_P(GivenNamesCompatible, Decides) {
  const auto& c = GetParam();
  EXPECT_EQ(given_names_compatible(c.a, c.b), c.compatible) << c.a << " | " << c.b;
  EXPECT_EQ(given_names_compatible(c.b, c.a), c.compatible) << c.b << " | " << c.a;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GivenNamesCompatible,
    ::testing::Values(
        CompatCase{"S. S.", "Samuel S.", true}, CompatCase{"S. S.", "Samuel", true},
        CompatCase{"Samuel S.", "Samuel", true}, CompatCase{"Samuel S.", "Samuel T.", false},
        CompatCase{"S.", "T.", false}, CompatCase{"Samuel", "Simon", false},
        CompatCase{"S.", "Samuel", true}, CompatCase{"Shang-Yung", "Shang Yung", true},
        CompatCase{"Shang-Yung", "Shangyung", true}, CompatCase{"S.-Y.", "Shang-Yung", true},
        CompatCase{"JP", "J. P.", true}, CompatCase{"\u00C9mile", "Emile", true},
        CompatCase{"\u00C9.", "E.", true}, CompatCase{"", "Samuel", true}, CompatCase{"", "", true},
        CompatCase{"Jos\u00E9 A.", "Jose", true}, CompatCase{"Xiao-Lin", "Xiao-Dong", false}));

}  // namespace
}  // namespace bzpeer::normalise
