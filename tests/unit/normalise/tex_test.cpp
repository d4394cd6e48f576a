// Tests for tex_to_unicode. Inputs are real arXiv strings where marked (source in the comment).
#include "pipeline/normalise/tex.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bzpeer::normalise {
namespace {

struct TexCase {
  const char* input;
  const char* expected;
};

class TexToUnicode : public ::testing::TestWithParam<TexCase> {};

TEST_P(TexToUnicode, Converts) {
  EXPECT_EQ(tex_to_unicode(GetParam().input), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Accents, TexToUnicode,
    ::testing::Values(
        // kaggle-snapshot 0704.0001 / 0704.0028 / 0704.0032: unbraced accents
        TexCase{R"(C. Bal\'azs)", "C. Bal\u00E1zs"},
        TexCase{R"(P\'eter E. Frenkel)", "P\u00E9ter E. Frenkel"},
        TexCase{R"(R. Tom\`as)", "R. Tom\u00E0s"},
        // kaggle-snapshot 0704.0062: \v{S} braced caron, \v{n}, \'a
        TexCase{R"(Rastislav \v{S}r\'amek, Bro\v{n}a Brejov\'a, Tom\'a\v{s} Vina\v{r})",
                "Rastislav \u0160r\u00E1mek, Bro\u0148a Brejov\u00E1, Tom\u00E1\u0161 "
                "Vina\u0159"},
        // kaggle-snapshot 0704.0049: {\O}
        TexCase{R"(Mikkel {\O}bro)", "Mikkel \u00D8bro"},
        // arxiv-abs: braced argument and braced group
        TexCase{R"(Fr\'{e}d\'{e}ric Klopp)", "Fr\u00E9d\u00E9ric Klopp"},
        TexCase{R"(Fr{\'e}d{\'e}rique)", "Fr\u00E9d\u00E9rique"},
        TexCase{R"(Mohamed Ka{\^a}niche)", "Mohamed Ka\u00E2niche"},
        TexCase{R"(A. Lan\c{c}on)", "A. Lan\u00E7on"},
        TexCase{R"(Martin Eker{\aa} and Johan H{\aa}stad)",
                "Martin Eker\u00E5 and Johan H\u00E5stad"},
        TexCase{R"(H. Nesse Tyss{\o}y)", "H. Nesse Tyss\u00F8y"},
        TexCase{R"(Emanuele Macr\`i)", "Emanuele Macr\u00EC"},
        TexCase{R"(J\"urgen K\"onig)", "J\u00FCrgen K\u00F6nig"},
        // arxiv-oaipmh-testdb: {\ss}, {\l}, \~n
        TexCase{R"(Anne Sa{\ss})", "Anne Sa\u00DF"},
        TexCase{R"(Stanis{\l}awa Kanas)", "Stanis\u0142awa Kanas"},
        TexCase{R"(Jaime Zu\~niga)", "Jaime Zu\u00F1iga"},
        // other accent macros
        TexCase{R"(\u{a})", "\u0103"}, TexCase{R"(\k{i})", "\u012F"}, TexCase{R"(\v{g})", "\u01E7"},
        TexCase{R"(\c{g})", "\u0123"}, TexCase{R"(\H{o})", "\u0151"}, TexCase{R"(\r{u})", "\u016F"},
        TexCase{R"(\={a})", "\u0101"}, TexCase{R"(\.{z})", "\u017C"}, TexCase{R"(\d{s})", "\u1E63"},
        TexCase{R"(\b{k})", "\u1E35"}, TexCase{R"(\t{oo})", "o\u0361o"},
        TexCase{R"(\v s)", "\u0161"}, TexCase{R"(\"{\i})", "\u00EF"}, TexCase{R"(\'\i)", "\u00ED"},
        TexCase{R"(\DJ uro \dj)", "\u0110uro \u0111"},
        TexCase{R"(\AA\ AE\ae \OE\oe \L\l)", "\u00C5\\ AE\u00E6 \u0152\u0153 \u0141\u0142"},
        TexCase{R"(\aa ngstr\"om)", "\u00E5ngstr\u00F6m"},
        TexCase{R"({M\"uller})", "M\u00FCller"}));

// arxiv-oaipmh-testdb (and so tests/fixtures/oai/arxivraw-sample) stores backslashes doubled.
INSTANTIATE_TEST_SUITE_P(
    DoubledBackslashExport, TexToUnicode,
    ::testing::Values(TexCase{R"(Fr\\'ed\\'eric Lagouti\\`ere)",
                              "Fr\u00E9d\u00E9ric Lagouti\u00E8re"},
                      TexCase{R"(Achill Sch\\\"urmann)", "Achill Sch\u00FCrmann"},  // as stored
                      TexCase{R"(Achill Sch\\"urmann)", "Achill Sch\u00FCrmann"},
                      TexCase{R"(V. V. Fran\\c{c}a)", "V. V. Fran\u00E7a"},
                      TexCase{R"(S{\\o}ren K. Boldsen)", "S\u00F8ren K. Boldsen"},
                      TexCase{R"(Stanis{\\l}awa Kanas)", "Stanis\u0142awa Kanas"},
                      TexCase{R"(Anne Sa{\\ss})", "Anne Sa\u00DF"},
                      TexCase{R"(Marcone Corr\\^ea Pereira)", "Marcone Corr\u00EAa Pereira"},
                      TexCase{R"(a\\&b)", R"(a\\&b)"},          // line break, then `&`: kept
                      TexCase{R"(x\\[2pt]y)", R"(x\\[2pt]y)"},  // line break with spacing: not math
                      TexCase{R"(x\\ y)", R"(x\\ y)"}));

INSTANTIATE_TEST_SUITE_P(
    EscapesAndPunctuation, TexToUnicode,
    ::testing::Values(TexCase{R"(Texas A\&M)", "Texas A&M"},
                      TexCase{R"(50\% of \$5 \_ \#1)", "50% of $5 _ #1"},
                      TexCase{"pages 1--10 --- or not", "pages 1\u201310 \u2014 or not"},
                      TexCase{"a-b ----", "a-b ----"}, TexCase{"Dr.~Who", "Dr. Who"},
                      TexCase{"see http://www.x.org/~user", "see http://www.x.org/~user"},
                      TexCase{"INAF--Oss. Astro.", "INAF\u2013Oss. Astro."}));

INSTANTIATE_TEST_SUITE_P(MathKeptVerbatim, TexToUnicode,
                         ::testing::Values(
                             // kaggle-snapshot 0704.0001 abstract style
                             TexCase{R"(the $A_r$ Q-systems)", "the $A_r$ Q-systems"},
                             TexCase{R"($\'e -- \"o$ and \'e)", "$\\'e -- \\\"o$ and \u00E9"},
                             TexCase{R"($$x--y~z$$ \"a)", "$$x--y~z$$ \u00E4"},
                             TexCase{R"(\(a--b\) \[c~d\] e--f)", "\\(a--b\\) \\[c~d\\] e\u2013f"},
                             TexCase{R"($a\$b$ c)", "$a\\$b$ c"},
                             TexCase{"costs $5 -- cheap", "costs $5 \u2013 cheap"},
                             TexCase{"$$ unclosed -- x", "$$ unclosed \u2013 x"}));

INSTANTIATE_TEST_SUITE_P(UnknownKept, TexToUnicode,
                         ::testing::Values(TexCase{R"({\it et al.})", R"({\it et al.})"},
                                           TexCase{R"(\emph{\'e})", "\\emph{\u00E9}"},
                                           TexCase{R"(\textbf{x} {ABC})", R"(\textbf{x} {ABC})"},
                                           TexCase{R"(J.K\kedra)", R"(J.K\kedra)"},
                                           TexCase{R"(\'{})", R"(\'{})"},
                                           TexCase{R"(line\\break)", R"(line\\break)"},
                                           TexCase{"trailing \\", "trailing \\"},
                                           TexCase{R"(\')", R"(\')"}, TexCase{R"(\v{)", R"(\v{)"},
                                           TexCase{"{\\'e", "{\u00E9"},
                                           TexCase{"plain text", "plain text"}, TexCase{"", ""}));

TEST(TexToUnicode, OutputIsNfc) {
  // e + combining acute written literally is composed.
  EXPECT_EQ(tex_to_unicode("Ce\xCC\x81"
                           "cile -- x"),
            "C\u00E9cile \u2013 x");
}

TEST(TexToUnicode, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(tex_to_unicode("a\xFF\\'e"), "a\uFFFD\u00E9");
}

TEST(TexToUnicode, NeverCrashesOnNastyInput) {
  const std::string nasty[] = {std::string(1000, '\\'),
                               std::string(1000, '{'),
                               std::string(1000, '$'),
                               std::string(500, '-'),
                               "\\'" + std::string(200, ' '),
                               "\\t{o",
                               "\\(\\(\\(\\(",
                               std::string("\\'\0x", 4),
                               "{\\'\xC3}",
                               "\\\"\xE2\x82",
                               "$$$",
                               "{\\o{}}"};
  for (const auto& s : nasty) {
    const std::string out = tex_to_unicode(s);
    EXPECT_LE(out.size(), s.size() * 4 + 8);
  }
}

}  // namespace
}  // namespace bzpeer::normalise
