// Invalid UTF-8 and injection-looking text through the normalisers: every output field is
// valid UTF-8 (bad bytes become U+FFFD), and SQL or query syntax in a name is kept as
// text, never interpreted.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace bzpeer::normalise {
namespace {

using fuzz::valid_utf8;

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

TEST(NormaliseHostile, CleanTextReplacesEveryKindOfInvalidUtf8) {
  const std::string cases[] = {
      "Caf\xE9",                 // Latin-1 byte
      "\xC3\x28 text",           // bad continuation
      "cut \xE2\x82",            // truncated at the end
      "over\xC0\xAFlong",        // overlong '/'
      "surrogate \xED\xA0\x80",  // U+D800
      "\xF4\x90\x80\x80 big",    // past U+10FFFF
      "\xFF\xFE\xFD",            // never valid
  };
  for (const auto& text : cases) {
    const std::string cleaned = clean_text(text);
    EXPECT_TRUE(valid_utf8(cleaned)) << text;
    EXPECT_NE(cleaned.find(kReplacement), std::string::npos) << text;
  }
  EXPECT_EQ(clean_text("Caf\xE9 au lait"), "Caf" + kReplacement + " au lait");
}

TEST(NormaliseHostile, TexConversionReplacesInvalidUtf8OutsideMath) {
  const std::string converted = tex_to_unicode("Schr\\\"odinger \xE9quation");
  EXPECT_TRUE(valid_utf8(converted)) << converted;
  EXPECT_EQ(converted, "Schrödinger " + kReplacement + "quation");
}

TEST(NormaliseHostile, InvalidUtf8InsideMathIsReplacedByCleanText) {
  // tex_to_unicode copies math spans byte for byte; clean_text (titles, abstracts) still
  // never passes the bad byte on.
  const std::string cleaned = clean_text("Energy $E=\xFF mc^2$ bound");
  EXPECT_TRUE(valid_utf8(cleaned)) << cleaned;
  EXPECT_EQ(cleaned, "Energy $E=" + kReplacement + " mc^2$ bound");
}

TEST(NormaliseHostile, AuthorNamesWithInvalidUtf8AreReplacedPerName) {
  const auto names = parse_arxiv_authors(
      "Jos\xE9 Garc\xED"
      "a, B. Sm\xFFith and C. $\xFE$ Doe");
  ASSERT_EQ(names.size(), 3u);
  for (const auto& name : names) {
    EXPECT_TRUE(valid_utf8(name.printed)) << name.printed;
    EXPECT_TRUE(valid_utf8(name.given)) << name.given;
    EXPECT_TRUE(valid_utf8(name.family)) << name.family;
  }
  EXPECT_EQ(names[0].family, "Garc" + kReplacement + "a");
  EXPECT_EQ(names[1].family, "Sm" + kReplacement + "ith");
}

TEST(NormaliseHostile, FoldKeyNeverPassesInvalidUtf8On) {
  EXPECT_TRUE(valid_utf8(fold_key("M\xFCller")));
  EXPECT_TRUE(valid_utf8(fold_key("\xC3")));
}

TEST(NormaliseHostile, SqlAndQuerySyntaxInNamesIsKeptAsText) {
  // Quotes, SQL and query operators are ordinary characters of a name; the store binds
  // them as parameters (tests/unit/store/store_hostile_test.cpp).
  const auto names =
      parse_arxiv_authors("Robert O'Brien-Tables, Bobby Tables' OR '1'='1 and A. AND");
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].printed, "Robert O'Brien-Tables");
  EXPECT_EQ(names[0].family, "O'Brien-Tables");
  EXPECT_EQ(names[1].printed, "Bobby Tables' OR '1'='1");
  EXPECT_EQ(names[2].printed, "A. AND");
  EXPECT_EQ(names[2].family, "AND");
  const auto person = parse_person_name("title:x author:* O'Brien");
  EXPECT_EQ(person.printed, "title:x author:* O'Brien");
  EXPECT_EQ(person.family, "O'Brien");
}

// Found by tests/fuzz/fuzz_oai_page (crash-46fd64a4…, minimised): an arXivRaw <doi> field
// with bytes that are not UTF-8 gave a "DOI" that went on into the store and the index.
TEST(NormaliseHostile, FuzzRegressionDoiWithInvalidUtf8IsDropped) {
  EXPECT_EQ(normalise_doi("10.1103/PhysRevD.\xea\xea\xea"
                          "98.079901"),
            std::nullopt);
  EXPECT_EQ(normalise_doi("10.1234/x%EA%EA"), std::nullopt);  // the same, percent-encoded
  EXPECT_EQ(split_dois("10.1103/PhysRevD.93.016005, 10.1103/PhysRevD.\xea\xea"
                       "98.079901;"
                       "10.1103/PhysRevD.98.079903"),
            (std::vector<std::string>{"10.1103/physrevd.93.016005", "10.1103/physrevd.98.079903"}));
  // Unicode in a DOI suffix is allowed when it is UTF-8.
  EXPECT_EQ(normalise_doi("10.1234/caf\xC3\xA9"), "10.1234/caf\xC3\xA9");
}

}  // namespace
}  // namespace bzpeer::normalise
