// Keyphrase candidates and ranking on real abstracts: arXiv 1102.0544 from the bundled
// OAI-PMH sample, and Inspec / WWW documents (tests/fixtures/eval/topics).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "pipeline/topics/keyphrases.hpp"

namespace bzpeer::topics {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string unescape(std::string s) {
  for (auto [from, to] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, std::string_view(from).size(), to);
    }
  }
  return s;
}

/// Title and abstract of one arXivRaw record of the bundled sample.
std::pair<std::string, std::string> arxiv_record(const std::string& page, const std::string& id) {
  std::string xml = slurp(fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample" / page);
  auto at = xml.find("<id>" + id + "</id>");
  EXPECT_NE(at, std::string::npos) << id;
  auto field = [&](const std::string& tag) {
    auto b = xml.find("<" + tag + ">", at) + tag.size() + 2;
    return unescape(xml.substr(b, xml.find("</" + tag + ">", b) - b));
  };
  return {field("title"), field("abstract")};
}

std::vector<std::string> surfaces(const std::vector<Keyphrase>& ks) {
  std::vector<std::string> out;
  for (const auto& k : ks) out.push_back(k.surface);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::ranges::find(list, item) != list.end();
}

TEST(Keyphrases, KeplerTransitTimingAbstract) {
  auto [title, abstract] = arxiv_record("page-004.xml", "1102.0544");
  ASSERT_NE(title.find("Transit Timing"), std::string::npos);
  auto candidates = extract_candidates(title, abstract);
  std::map<std::string, Candidate> by_surface;
  for (const auto& c : candidates) by_surface[c.surface] = c;
  // Maximal runs between stop words and punctuation, variants merged by stem.
  ASSERT_TRUE(by_surface.contains("transit timing variations"));
  EXPECT_EQ(by_surface["transit timing variations"].key, "transit time variat");
  EXPECT_TRUE(by_surface.contains("orbital migration"));
  EXPECT_TRUE(by_surface.contains("habitable zone"));
  EXPECT_TRUE(by_surface.contains("TTVs"));  // an acronym keeps its case
  EXPECT_TRUE(by_surface["transit timing observations"].in_title);
  EXPECT_GE(by_surface["planet candidates"].count, 4);  // also inside longer runs
  // No citation debris, numbers or verbs at the edges.
  EXPECT_FALSE(by_surface.contains("al"));
  EXPECT_FALSE(by_surface.contains("2011a"));
  EXPECT_FALSE(by_surface.contains("suggesting significant mutual inclinations"));
  EXPECT_TRUE(by_surface.contains("significant mutual inclinations"));

  // Ranked against this record alone (df 1 everywhere): frequency, title and length.
  auto top = surfaces(rank_keyphrases(
      candidates, [](std::string_view) { return 1; }, 1));
  ASSERT_EQ(top.size(), 10u);
  EXPECT_EQ(top.front(), "planet candidates");
  EXPECT_TRUE(has(top, "transit timing observations"));
  EXPECT_TRUE(has(top, "TTVs"));
}

TEST(Keyphrases, DocumentFrequencyDemotesCommonPhrases) {
  auto [title, abstract] = arxiv_record("page-004.xml", "1102.0544");
  auto candidates = extract_candidates(title, abstract);
  auto plain = surfaces(rank_keyphrases(
      candidates, [](std::string_view) { return 1; }, 1000));
  // "planets" in every other work of a 1000-work corpus drops out of the top 10.
  ASSERT_TRUE(has(plain, "planets"));
  auto common = surfaces(rank_keyphrases(
      candidates, [](std::string_view k) { return k == "planet" ? 500 : 1; }, 1000));
  EXPECT_FALSE(has(common, "planets"));
  EXPECT_TRUE(has(common, "transit timing variations") || has(common, "planet candidates"));
}

TEST(Keyphrases, GenericPhrasesAreFiltered) {
  auto candidates = extract_candidates(
      "A novel approach",
      "In this paper we present the proposed method. Our results show that the method "
      "outperforms previous work. Experimental results confirm good agreement with "
      "quantum error correction.");
  std::vector<std::string> keys;
  for (const auto& c : candidates) keys.push_back(c.surface);
  EXPECT_FALSE(has(keys, "approach"));
  EXPECT_FALSE(has(keys, "method"));
  EXPECT_FALSE(has(keys, "proposed method"));
  EXPECT_FALSE(has(keys, "results"));
  EXPECT_FALSE(has(keys, "our results"));
  EXPECT_FALSE(has(keys, "paper"));
  EXPECT_FALSE(has(keys, "work"));
  EXPECT_FALSE(has(keys, "experimental results"));
  EXPECT_FALSE(has(keys, "good agreement"));
  EXPECT_TRUE(has(keys, "quantum error correction"));
  EXPECT_TRUE(is_generic_key(phrase_key("Experimental results")));
  EXPECT_TRUE(is_stop_word("the"));
  EXPECT_FALSE(is_stop_word("planet"));
}

TEST(Keyphrases, TeXMathAndPunctuationEndRuns) {
  auto candidates = extract_candidates(
      "Dynamics of Fundamental Matter in N=2* Yang-Mills Theory",
      "We study quenched fundamental matter in $\\mathcal{N}=2^\\ast$ supersymmetric large "
      "$N$ SU(N) Yang-Mills theory; probe D7-branes.");
  std::vector<std::string> keys;
  for (const auto& c : candidates) keys.push_back(c.surface);
  EXPECT_TRUE(has(keys, "Yang-Mills theory"));  // mixed case is kept
  EXPECT_TRUE(has(keys, "quenched fundamental matter"));
  EXPECT_TRUE(has(keys, "probe d7-branes"));
  for (const auto& k : keys) EXPECT_EQ(k.find("mathcal"), std::string::npos) << k;
}

TEST(Keyphrases, PhraseKeyMatchesCandidateKeys) {
  EXPECT_EQ(phrase_key("Transit Timing Variations"), "transit time variat");
  EXPECT_EQ(phrase_key("  hyperbolic partial differential equations "),
            "hyperbol partial differenti equat");
  EXPECT_EQ(phrase_key("quality of service"), "qualiti of servic");  // stop words kept
  EXPECT_EQ(phrase_key(""), "");
  EXPECT_TRUE(extract_candidates("", "").empty());
  EXPECT_TRUE(extract_candidates("the of and", "1 2 3 ... ;;").empty());
}

TEST(Keyphrases, InspecSampleFindsGoldPhrases) {
  // Inspec (Hulth 2003) document 1461: title line, then the abstract.
  auto dir = fs::path(BZPEER_FIXTURES) / "eval" / "topics" / "inspec";
  std::string text = slurp(dir / "1461.abstr");
  auto nl = text.find('\n');
  auto candidates = extract_candidates(text.substr(0, nl), text.substr(nl + 1));
  std::vector<std::string> top;
  for (const auto& k : rank_keyphrases(
           candidates, [](std::string_view) { return 1; }, 1)) {
    top.push_back(k.key);
  }
  std::string gold = slurp(dir / "1461.uncontr");
  int found = 0;
  std::istringstream in(gold);
  for (std::string g; std::getline(in, g, ';');) found += has(top, phrase_key(g)) ? 1 : 0;
  EXPECT_GE(found, 3) << "gold phrases among the top 10 of Inspec 1461";
}

TEST(Keyphrases, DocumentKeysAreDistinctAndSorted) {
  auto keys = document_keys(extract_candidates("Planet candidates", "Planet candidate systems."));
  EXPECT_TRUE(std::ranges::is_sorted(keys));
  EXPECT_EQ(std::ranges::adjacent_find(keys), keys.end());
  EXPECT_TRUE(has(keys, "planet candid"));
}

}  // namespace
}  // namespace bzpeer::topics
