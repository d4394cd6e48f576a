// The Porter stemmer against the examples in Porter's 1980 paper ("An algorithm for
// suffix stripping"), step by step.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "pipeline/topics/porter.hpp"

namespace bzpeer::topics {
namespace {

void expect_stems(const std::vector<std::pair<const char*, const char*>>& cases) {
  for (const auto& [word, stem] : cases) EXPECT_EQ(porter_stem(word), stem) << word;
}

TEST(Porter, Step1a) {
  expect_stems({{"caresses", "caress"},
                {"ponies", "poni"},
                {"ties", "ti"},
                {"caress", "caress"},
                {"cats", "cat"}});
}

TEST(Porter, Step1b) {
  expect_stems({{"feed", "feed"},
                {"agreed", "agre"},
                {"plastered", "plaster"},
                {"bled", "bled"},
                {"motoring", "motor"},
                {"sing", "sing"},
                {"conflated", "conflat"},
                {"troubled", "troubl"},
                {"sized", "size"},
                {"hopping", "hop"},
                {"tanned", "tan"},
                {"falling", "fall"},
                {"hissing", "hiss"},
                {"fizzed", "fizz"},
                {"failing", "fail"},
                {"filing", "file"}});
}

TEST(Porter, Step1c) {
  expect_stems({{"happy", "happi"}, {"sky", "sky"}});
}

TEST(Porter, Step2) {
  expect_stems(
      {{"relational", "relat"},    {"conditional", "condit"}, {"rational", "ration"},
       {"valenci", "valenc"},      {"hesitanci", "hesit"},    {"digitizer", "digit"},
       {"conformabli", "conform"}, {"radicalli", "radic"},    {"differentli", "differ"},
       {"vileli", "vile"},         {"analogousli", "analog"}, {"vietnamization", "vietnam"},
       {"predication", "predic"},  {"operator", "oper"},      {"feudalism", "feudal"},
       {"decisiveness", "decis"},  {"hopefulness", "hope"},   {"callousness", "callous"},
       {"formaliti", "formal"},    {"sensitiviti", "sensit"}, {"sensibiliti", "sensibl"}});
}

TEST(Porter, Step3) {
  expect_stems({{"triplicate", "triplic"},
                {"formative", "form"},
                {"formalize", "formal"},
                {"electriciti", "electr"},
                {"electrical", "electr"},
                {"hopeful", "hope"},
                {"goodness", "good"}});
}

TEST(Porter, Step4) {
  expect_stems({{"revival", "reviv"},
                {"allowance", "allow"},
                {"inference", "infer"},
                {"airliner", "airlin"},
                {"gyroscopic", "gyroscop"},
                {"adjustable", "adjust"},
                {"defensible", "defens"},
                {"irritant", "irrit"},
                {"replacement", "replac"},
                {"adjustment", "adjust"},
                {"dependent", "depend"},
                {"adoption", "adopt"},
                {"homologou", "homolog"},
                {"communism", "commun"},
                {"activate", "activ"},
                {"angulariti", "angular"},
                {"homologous", "homolog"},
                {"effective", "effect"},
                {"bowdlerize", "bowdler"}});
}

TEST(Porter, Step5) {
  expect_stems({{"probate", "probat"},
                {"rate", "rate"},
                {"cease", "ceas"},
                {"controll", "control"},
                {"roll", "roll"}});
}

TEST(Porter, WholeWords) {
  expect_stems({{"generalizations", "gener"},
                {"oscillators", "oscil"},
                {"candidates", "candid"},
                {"variations", "variat"},
                {"timing", "time"}});
}

TEST(Porter, ShortHyphenatedAndForeignWordsAreSafe) {
  EXPECT_EQ(porter_stem(""), "");
  EXPECT_EQ(porter_stem("is"), "is");
  EXPECT_EQ(porter_stem("high-resolution"), "high-resolut");
  EXPECT_EQ(porter_stem("non-transiting"), "non-transit");
  EXPECT_EQ(porter_stem("d7-branes"), "d7-brane");
  EXPECT_EQ(porter_stem("schrödinger"), "schrödinger");  // not a-z: left alone
  EXPECT_EQ(porter_stem("-"), "-");
}

}  // namespace
}  // namespace bzpeer::topics
