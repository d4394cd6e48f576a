// Deterministic random inputs through every normaliser: nothing may crash, hang or trip the
// sanitizers (run this suite in the -DBZPEER_SANITIZE=ON build). A real fuzzer comes later.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <string_view>

#include "pipeline/normalise/dates.hpp"
#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::normalise {
namespace {

// Pieces that exercise the parsers' special cases, plus raw bytes.
constexpr std::array<std::string_view, 44> kPieces{
    "\\",  "\\\\",   "{",        "}",     "$",   "$$",    "\\(",           "\\)", "\\[", "\\]",
    "\\'", "\\\"",   "\\v",      "\\t",   "\\o", "\\ss",  "\\i",           "~",   "--",  "-",
    "(",   ")",      "((1) ",    "(1,2)", ",",   " and ", " & ",           ":",   ";",   " ",
    "\n",  "et al.", "Jr.",      "III",   "van", "de",    "Collaboration", "e",   "A.",  "10.",
    "/",   "v2",     "\xC3\xA9", "\xFF"};

std::string random_input(std::mt19937& rng) {
  std::uniform_int_distribution<int> count(0, 24);
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> coin(0, 9);
  std::string s;
  const int n = count(rng);
  for (int k = 0; k < n; ++k) {
    if (coin(rng) == 0) {
      s += static_cast<char>(byte(rng));
    } else {
      s += kPieces[pick(rng)];
    }
  }
  return s;
}

TEST(Robustness, RandomInputsNeverCrash) {
  std::mt19937 rng(20240611);
  std::size_t total = 0;
  for (int iteration = 0; iteration < 4000; ++iteration) {
    const std::string s = random_input(rng);
    total += tex_to_unicode(s).size();
    total += clean_text(s).size();
    total += fold_key(s).size();
    total += nfc(s).size();
    for (const auto& p : parse_arxiv_authors(s)) {
      total += name_block_key(p.given, p.family).size();
      total += given_names_compatible(p.given, s) ? 1 : 0;
    }
    total += parse_person_name(s).family.size();
    total += strip_particles(s).size();
    total += parse_arxiv_id(s).has_value() ? 1 : 0;
    total += split_dois(s).size();
    total += normalise_orcid(s).has_value() ? 1 : 0;
    total += arxiv_id_from_doi(s).has_value() ? 1 : 0;
    total += rfc822_to_iso(s).has_value() ? 1 : 0;
    total += validate_iso_date(s).has_value() ? 1 : 0;
    total += static_cast<std::size_t>(year_of(s));
  }
  EXPECT_GT(total, 0U);
}

TEST(Robustness, LargeInputsStayFast) {
  // 1 MB of unbalanced openers: every function must stay (near) linear.
  for (const std::string_view unit : {"\\(", "$", "{\\'", "(", "((1) a, ", "\\o", "--"}) {
    std::string s;
    while (s.size() < (1U << 20)) s += unit;
    EXPECT_GE(tex_to_unicode(s).size(), 1U);
    EXPECT_LE(parse_arxiv_authors(s).size(), s.size());
    EXPECT_GE(fold_key(s).size(), 0U);
  }
}

}  // namespace
}  // namespace bzpeer::normalise
