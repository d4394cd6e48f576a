// Tests for arXiv id, DOI and ORCID normalisation.
#include "pipeline/normalise/identifiers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bzpeer::normalise {
namespace {

struct IdCase {
  const char* input;
  const char* id;  // nullptr: rejected
  int version;
};

class ParseArxivId : public ::testing::TestWithParam<IdCase> {};

TEST_P(ParseArxivId, Parses) {
  const auto& c = GetParam();
  const auto got = parse_arxiv_id(c.input);
  if (c.id == nullptr) {
    EXPECT_FALSE(got.has_value()) << c.input << " -> " << got->id;
    return;
  }
  ASSERT_TRUE(got.has_value()) << c.input;
  EXPECT_EQ(got->id, c.id) << c.input;
  EXPECT_EQ(got->version, c.version) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    NewStyle, ParseArxivId,
    ::testing::Values(IdCase{"0704.0001", "0704.0001", 0},  // first new-style id (kaggle)
                      IdCase{"0704.0716v4", "0704.0716", 4},
                      IdCase{"1302.2146", "1302.2146", 0},  // oai-arxiv mikesaelim
                      IdCase{"1412.8323", "1412.8323", 0}, IdCase{"1501.00001", "1501.00001", 0},
                      IdCase{"1507.07790v12", "1507.07790", 12},
                      IdCase{"arXiv:1605.08386v1", "1605.08386", 1},
                      IdCase{"ARXIV:1605.08386", "1605.08386", 0},
                      IdCase{"arXiv: 1707.08567", "1707.08567", 0},
                      IdCase{"  2103.01234 \n", "2103.01234", 0},
                      IdCase{"oai:arXiv.org:0704.0001", "0704.0001", 0},
                      IdCase{"https://arxiv.org/abs/1707.08567v2", "1707.08567", 2},
                      IdCase{"http://arxiv.org/abs/1111.2011v2", "1111.2011", 2},  // atom data
                      IdCase{"https://arxiv.org/pdf/1707.08567v2.pdf", "1707.08567", 2},
                      IdCase{"https://export.arxiv.org/abs/1707.08567?context=cs", "1707.08567", 0},
                      IdCase{"arxiv.org/abs/1501.00001/", "1501.00001", 0},
                      IdCase{"10.48550/arXiv.2201.00001", "2201.00001", 0}));

INSTANTIATE_TEST_SUITE_P(
    OldStyle, ParseArxivId,
    ::testing::Values(IdCase{"hep-th/9901001", "hep-th/9901001", 0},
                      IdCase{"hep-th/0703166", "hep-th/0703166", 0},      // oaipmh testdb
                      IdCase{"chao-dyn/9510015", "chao-dyn/9510015", 0},  // oaipmh testdb
                      IdCase{"math.CA/0101001", "math/0101001", 0},
                      IdCase{"math.CA/0611800v2", "math/0611800", 2},
                      IdCase{"arXiv:math/0611800v2", "math/0611800", 2},
                      IdCase{"oai:arXiv.org:astro-ph/0601001", "astro-ph/0601001", 0},
                      IdCase{"solv-int/9901001v1", "solv-int/9901001", 1},
                      IdCase{"HEP-TH/9108001", "hep-th/9108001", 0},
                      IdCase{"https://arxiv.org/abs/cond-mat/0102536v1", "cond-mat/0102536", 1},
                      IdCase{"acc-phys/9411001", "acc-phys/9411001", 0}));

INSTANTIATE_TEST_SUITE_P(
    Junk, ParseArxivId,
    ::testing::Values(IdCase{"", nullptr, 0}, IdCase{"abc", nullptr, 0},  // atom "id_abc"
                      IdCase{"0000.0000", nullptr, 0},                    // atom "id_0000.0000"
                      IdCase{"0703.0001", nullptr, 0},                    // before the new scheme
                      IdCase{"1501.0001", nullptr, 0},                    // 4 digits after 2014
                      IdCase{"1412.00001", nullptr, 0},                   // 5 digits before 2015
                      IdCase{"0713.0001", nullptr, 0},                    // month 13
                      IdCase{"0704.0001v", nullptr, 0}, IdCase{"0704.0001v0", nullptr, 0},
                      IdCase{"0704.0001vx", nullptr, 0}, IdCase{"0704.00011", nullptr, 0},
                      IdCase{"hep-th/990100", nullptr, 0}, IdCase{"hep-th/0801001", nullptr, 0},
                      IdCase{"foo-bar/9901001", nullptr, 0}, IdCase{"hep-th/9013001", nullptr, 0},
                      IdCase{"math./0101001", nullptr, 0}, IdCase{"0704. 0001", nullptr, 0},
                      IdCase{"https://example.org/abs/0704.0001", nullptr, 0},
                      IdCase{"https://arxiv.org/list/0704.0001", nullptr, 0},
                      IdCase{"10.1103/PhysRevD.76.013009", nullptr, 0}));

struct DoiCase {
  const char* input;
  const char* expected;  // nullptr: rejected
};

class NormaliseDoi : public ::testing::TestWithParam<DoiCase> {};

TEST_P(NormaliseDoi, Normalises) {
  const auto got = normalise_doi(GetParam().input);
  if (GetParam().expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << GetParam().input << " -> " << *got;
  } else {
    ASSERT_TRUE(got.has_value()) << GetParam().input;
    EXPECT_EQ(*got, GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NormaliseDoi,
    ::testing::Values(
        DoiCase{"10.1103/PhysRevD.76.013009", "10.1103/physrevd.76.013009"},  // kaggle 0704.0001
        DoiCase{"https://doi.org/10.1063/1.2975338", "10.1063/1.2975338"},
        DoiCase{"http://dx.doi.org/10.1063/1.2975338", "10.1063/1.2975338"},
        DoiCase{"doi:10.1007/s10773-009-0204-x", "10.1007/s10773-009-0204-x"},
        DoiCase{"DOI: 10.1086/518736", "10.1086/518736"},
        DoiCase{"  10.1086/518736.  ", "10.1086/518736"},
        DoiCase{"https://doi.org/10.1000%2F182", "10.1000/182"},
        DoiCase{"10.1142/10.1142/S0218216510007966", "10.1142/10.1142/s0218216510007966"},
        DoiCase{"10.1002/(SICI)1097-4636(199602)30:2<227::AID-JBM13>3.0.CO;2-M",
                "10.1002/(sici)1097-4636(199602)30:2<227::aid-jbm13>3.0.co;2-m"},
        DoiCase{"(10.1086/518736)", nullptr}, DoiCase{"10.1086/518736)", "10.1086/518736"},
        DoiCase{"10.48550/arXiv.2201.00001", "10.48550/arxiv.2201.00001"}, DoiCase{"", nullptr},
        DoiCase{"10.1086", nullptr}, DoiCase{"10.1086/", nullptr}, DoiCase{"10.12/abc", nullptr},
        DoiCase{"11.1086/518736", nullptr}, DoiCase{"10.1086/51 8736", nullptr},
        DoiCase{"not a doi", nullptr}));

TEST(SplitDois, TwoSeparatedBySpace) {
  // oai-arxiv mikesaelim ListRecords, paper 0704.0471 (erratum DOI after the article's)
  EXPECT_EQ(split_dois("10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902"),
            (std::vector<std::string>{"10.1103/physrevc.76.024606", "10.1103/physrevc.76.039902"}));
}

TEST(SplitDois, MixedSeparatorsFromHepcrawl) {
  // oai-arxiv hepcrawl sample: comma, space and semicolon in one field
  EXPECT_EQ(split_dois("10.1103/PhysRevD.93.016005, 10.1103/PhysRevD.98.079901;10.1103/"
                       "PhysRevD.98.079903"),
            (std::vector<std::string>{"10.1103/physrevd.93.016005", "10.1103/physrevd.98.079901",
                                      "10.1103/physrevd.98.079903"}));
}

TEST(SplitDois, DropsInvalidAndDuplicates) {
  EXPECT_EQ(split_dois("10.1/x junk doi:10.1086/518736; 10.1086/518736,"),
            (std::vector<std::string>{"10.1086/518736"}));
  EXPECT_TRUE(split_dois("").empty());
  EXPECT_TRUE(split_dois(" ; , ").empty());
}

TEST(SplitDois, KeepsSemicolonInsideSiciDoi) {
  EXPECT_EQ(
      split_dois("10.1002/(SICI)1097-4636(199602)30:2<227::AID-JBM13>3.0.CO;2-M"),
      (std::vector<std::string>{"10.1002/(sici)1097-4636(199602)30:2<227::aid-jbm13>3.0.co;2-m"}));
}

TEST(ArxivIdFromDoi, MapsArxivDataCiteDois) {
  EXPECT_EQ(arxiv_id_from_doi("10.48550/arXiv.2201.00001"), "2201.00001");
  EXPECT_EQ(arxiv_id_from_doi("https://doi.org/10.48550/ARXIV.1707.08567"), "1707.08567");
  EXPECT_EQ(arxiv_id_from_doi("10.48550/arXiv.hep-th/9901001"), "hep-th/9901001");
  EXPECT_EQ(arxiv_id_from_doi("10.48550/arXiv.math.CA/0101001"), "math/0101001");
  EXPECT_FALSE(arxiv_id_from_doi("10.1103/PhysRevD.76.013009").has_value());
  EXPECT_FALSE(arxiv_id_from_doi("10.48550/arXiv.nonsense").has_value());
  EXPECT_FALSE(arxiv_id_from_doi("").has_value());
}

struct OrcidCase {
  const char* input;
  const char* expected;  // nullptr: rejected
};

class NormaliseOrcid : public ::testing::TestWithParam<OrcidCase> {};

TEST_P(NormaliseOrcid, Checks) {
  const auto got = normalise_orcid(GetParam().input);
  if (GetParam().expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << GetParam().input;
  } else {
    ASSERT_TRUE(got.has_value()) << GetParam().input;
    EXPECT_EQ(*got, GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NormaliseOrcid,
    ::testing::Values(OrcidCase{"0000-0002-1825-0097", "0000-0002-1825-0097"},
                      OrcidCase{"https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"},
                      OrcidCase{"http://orcid.org/0000-0002-1825-0097/", "0000-0002-1825-0097"},
                      OrcidCase{"orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"},
                      OrcidCase{"0000000218250097", "0000-0002-1825-0097"},
                      OrcidCase{"0000-0002-1694-233X", "0000-0002-1694-233X"},
                      OrcidCase{"0000-0002-1694-233x", "0000-0002-1694-233X"},
                      // other/orcid: inspire-next record's ORCID
                      OrcidCase{"0000-0002-6665-4934", "0000-0002-6665-4934"},
                      OrcidCase{"0000-0002-1825-0098", nullptr},
                      OrcidCase{"0000-0002-1694-2330", nullptr},
                      OrcidCase{"0000-0002-1825-009", nullptr},
                      OrcidCase{"0000-0002-1825-00977", nullptr},
                      OrcidCase{"0000 0002 1825 0097", nullptr},
                      OrcidCase{"000X-0002-1825-0097", nullptr}, OrcidCase{"", nullptr}));

}  // namespace
}  // namespace bzpeer::normalise
