// Tests for RFC 822 → ISO 8601 and ISO date validation.
#include "pipeline/normalise/dates.hpp"

#include <gtest/gtest.h>

namespace bzpeer::normalise {
namespace {

struct DateCase {
  const char* input;
  const char* expected;  // nullptr: rejected
};

class Rfc822ToIso : public ::testing::TestWithParam<DateCase> {};

TEST_P(Rfc822ToIso, Converts) {
  const auto got = rfc822_to_iso(GetParam().input);
  if (GetParam().expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << GetParam().input << " -> " << *got;
  } else {
    ASSERT_TRUE(got.has_value()) << GetParam().input;
    EXPECT_EQ(*got, GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(ArxivRaw, Rfc822ToIso,
                         ::testing::Values(
                             // oai-arxiv mikesaelim arXivRaw version dates
                             DateCase{"Tue, 3 Apr 2007 22:04:11 GMT", "2007-04-03T22:04:11Z"},
                             DateCase{"Fri, 8 Feb 2013 21:00:01 GMT", "2013-02-08T21:00:01Z"},
                             DateCase{"Fri, 28 Sep 2007 15:13:43 GMT", "2007-09-28T15:13:43Z"},
                             // kaggle-snapshot versions[].created and arxiv-abs "Date:" lines
                             DateCase{"Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02T19:18:42Z"},
                             DateCase{"Sat, 16 Jan 1993 11:49:26 GMT", "1993-01-16T11:49:26Z"}));

INSTANTIATE_TEST_SUITE_P(
    Variants, Rfc822ToIso,
    ::testing::Values(DateCase{"3 Apr 2007 22:04:11 GMT", "2007-04-03T22:04:11Z"},
                      DateCase{"Tue 3 Apr 2007 22:04:11 UTC", "2007-04-03T22:04:11Z"},
                      DateCase{"03 apr 2007 22:04 GMT", "2007-04-03T22:04:00Z"},
                      DateCase{"Tue, 03 Apr 2007 22:04:11", "2007-04-03T22:04:11Z"},
                      DateCase{"Tue, 03 Apr 2007 22:04:11 +0200", "2007-04-03T20:04:11Z"},
                      DateCase{"Sat, 31 Dec 2005 23:30:00 -0100", "2006-01-01T00:30:00Z"},
                      DateCase{"Mon, 1 Jan 2007 01:00:00 EST", "2007-01-01T06:00:00Z"},
                      DateCase{"Thu, 1 Mar 2007 00:10:00 +0100", "2007-02-28T23:10:00Z"},
                      DateCase{"29 Feb 2008 12:00:00 GMT", "2008-02-29T12:00:00Z"},
                      DateCase{"3 Apr 07 22:04:11 GMT", "2007-04-03T22:04:11Z"},
                      DateCase{"3 April 2007", "2007-04-03"},
                      DateCase{"3-Apr-2007 10:00:00 Z", "2007-04-03T10:00:00Z"}));

INSTANTIATE_TEST_SUITE_P(Rejected, Rfc822ToIso,
                         ::testing::Values(DateCase{"", nullptr}, DateCase{"garbage", nullptr},
                                           DateCase{"2007-04-03", nullptr},
                                           DateCase{"Tue, 3 Foo 2007", nullptr},
                                           DateCase{"Tue, 31 Apr 2007 10:00:00 GMT", nullptr},
                                           DateCase{"29 Feb 2007 12:00:00 GMT", nullptr},
                                           DateCase{"3 Apr 2007 24:00:00 GMT", nullptr},
                                           DateCase{"3 Apr 2007 22:61:00 GMT", nullptr},
                                           DateCase{"3 Apr 2007 22:04:11 XYZ", nullptr},
                                           DateCase{"3 Apr 2007 22:04:11 GMT trailing", nullptr},
                                           DateCase{"3 Apr 20071 22:04:11 GMT", nullptr},
                                           DateCase{"Blah, 3 Apr 2007 22:04:11 GMT", nullptr},
                                           DateCase{"123 Apr 2007", nullptr},
                                           DateCase{"3 Apr", nullptr}));

class ValidateIsoDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(ValidateIsoDate, Validates) {
  const auto got = validate_iso_date(GetParam().input);
  if (GetParam().expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << GetParam().input;
  } else {
    ASSERT_TRUE(got.has_value()) << GetParam().input;
    EXPECT_EQ(*got, GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidateIsoDate,
    ::testing::Values(DateCase{"2007", "2007"}, DateCase{"2007-04", "2007-04"},
                      DateCase{"2007-04-03", "2007-04-03"},  // kaggle update_date style
                      DateCase{"2008-02-29", "2008-02-29"},
                      DateCase{"2007-04-03T22:04:11Z", "2007-04-03T22:04:11Z"},
                      DateCase{"2007-02-29", nullptr}, DateCase{"2007-13", nullptr},
                      DateCase{"2007-00-10", nullptr}, DateCase{"2007-04-31", nullptr},
                      DateCase{"2007-4-3", nullptr}, DateCase{"0000", nullptr},
                      DateCase{"2007-04-03T24:00:00Z", nullptr},
                      DateCase{"2007-04-03T22:04:11", nullptr},
                      DateCase{"2007-04-03 22:04:11Z", nullptr}, DateCase{"", nullptr},
                      DateCase{"abcd", nullptr}));

TEST(YearOf, Extracts) {
  EXPECT_EQ(year_of("2007-04-03"), 2007);
  EXPECT_EQ(year_of("1993"), 1993);
  EXPECT_EQ(year_of("2007-04-03T22:04:11Z"), 2007);
  EXPECT_EQ(year_of(""), 0);
  EXPECT_EQ(year_of("07-04"), 0);
  EXPECT_EQ(year_of("20071"), 0);
  EXPECT_EQ(year_of("abcd"), 0);
}

}  // namespace
}  // namespace bzpeer::normalise
