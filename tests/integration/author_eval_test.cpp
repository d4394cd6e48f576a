// `bzpeer eval authors` on the labelled sets (copies of ../shared/data/eval in
// tests/fixtures/eval/labelled), run as an operator runs it: B3 precision, recall and F1
// must stay at the bars reached. A missing folder fails the test.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Scores {
  int code = -1;
  std::string out;
  std::map<std::string, double> values;  ///< "b3_precision", "b3_recall", "f1"
};

Scores eval_authors(const std::string& format, const std::string& folder) {
  const auto dir = fs::path(BZPEER_FIXTURES) / "eval" / "labelled" / folder;
  EXPECT_TRUE(fs::is_directory(dir)) << "missing " << dir;
  const std::string cmd = std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer eval authors --format " +
                          format + " " + dir.string() + " 2>&1";
  Scores s;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return s;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) s.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  s.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(s.out);
  std::string key;
  double value = 0;
  while (lines >> key >> value) s.values[key] = value;
  return s;
}

void expect_at_least(const Scores& s, double precision, double recall, double f1) {
  ASSERT_EQ(s.code, 0) << s.out;
  ASSERT_TRUE(s.values.contains("f1")) << s.out;
  EXPECT_GE(s.values.at("b3_precision"), precision) << s.out;
  EXPECT_GE(s.values.at("b3_recall"), recall) << s.out;
  EXPECT_GE(s.values.at("f1"), f1) << s.out;
}

// The bars: ANDez test signatures ≥ 0.85 (a co-author rule gets 0.83), INSPIRE
// "Wang" ≥ 0.90 (exact full names get 0.888). One configuration serves all three sets.
// Both bars are met (ANDez 0.8515 measured since name blocks fold "Mueller" = "Müller"
// and drop particles); precision and recall floors are the measured values rounded down.
TEST(AuthorEval, AndezTestSplitMeetsTheBar) {
  expect_at_least(eval_authors("andez", "andez-orcid-medline"), 0.88, 0.81, 0.85);
}

TEST(AuthorEval, InspireWangMeetsTheBar) {
  expect_at_least(eval_authors("inspire", "inspire-hep-wang"), 0.88, 0.92, 0.90);
}

TEST(AuthorEval, S2andDummy) {
  // Nine signatures, five labelled; the gold splits two identical "Abdul Sattar" mentions
  // (same co-author, venue, year and affiliation) that S2AND's own seeds require together,
  // so 0.85 is the most any name-and-evidence method gets. Measured 0.765.
  expect_at_least(eval_authors("s2and", "s2and-dummy"), 0.73, 0.80, 0.76);
}

}  // namespace
