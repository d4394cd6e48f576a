// The 25 curated pairs of bib-dedupe's test_cases.json (copied into tests/fixtures), and a
// regression floor on the shared Leipzig DBLP-ACM set (tests/fixtures/eval/labelled).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/dedupe/author_key.hpp"
#include "pipeline/dedupe/csv_table.hpp"
#include "pipeline/dedupe/title_key.hpp"
#include "pipeline/dedupe/work_matcher.hpp"

namespace bzpeer::dedupe {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Just enough JSON for test_cases.json: objects, arrays, strings, true/false/null.
/// Objects are flattened into "path/key" → value (strings; booleans as "true"/"false").
class FlatJson {
 public:
  explicit FlatJson(std::string_view text) : s_(text) { value(""); }
  std::map<std::string, std::string> values;

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  std::string string() {
    std::string out;
    ++i_;  // opening quote
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c == '\\') {
        c = s_[i_++];
        if (c == 'n') c = '\n';
        if (c == 't') c = '\t';
        if (c == 'u') {  // \uXXXX, BMP only (enough for this file)
          const auto cp = std::stoul(std::string(s_.substr(i_, 4)), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          continue;
        }
      }
      out += c;
    }
    ++i_;  // closing quote
    return out;
  }
  void value(const std::string& path) {
    space();
    if (s_[i_] == '{') {
      ++i_;
      space();
      while (s_[i_] != '}') {
        const auto k = string();
        space();
        ++i_;  // ':'
        value(path + "/" + k);
        space();
        if (s_[i_] == ',') ++i_;
        space();
      }
      ++i_;
    } else if (s_[i_] == '[') {
      ++i_;
      int n = 0;
      space();
      while (s_[i_] != ']') {
        value(path + "/" + std::to_string(n++));
        space();
        if (s_[i_] == ',') ++i_;
        space();
      }
      ++i_;
      values[path + "/#"] = std::to_string(n);
    } else if (s_[i_] == '"') {
      values[path] = string();
    } else {
      const auto start = i_;
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']') ++i_;
      auto v = std::string(s_.substr(start, i_ - start));
      while (!v.empty() && (v.back() == ' ' || v.back() == '\n')) v.pop_back();
      values[path] = v;
    }
  }
};

/// A bib-dedupe record as the eval verb reads it ("None"/"UNKNOWN" mean empty).
WorkKey from_record(const std::map<std::string, std::string>& v, const std::string& prefix) {
  auto get = [&](const char* field) {
    const auto it = v.find(prefix + "/" + field);
    if (it == v.end() || it->second == "None" || it->second == "UNKNOWN") return std::string();
    return it->second;
  };
  WorkKey k;
  k.title = get("title");
  k.authors = family_names(get("author"));
  const auto year = get("year");
  k.year = year.size() >= 4 ? std::stoi(year.substr(0, 4)) : 0;
  k.venue = get("journal").empty() ? get("booktitle") : get("journal");
  if (!get("doi").empty()) k.dois.push_back(get("doi"));
  k.volume = get("volume");
  k.pages = get("pages");
  return k;
}

TEST(BibDedupeCases, All25Pass) {
  const FlatJson json(read_file(BZPEER_FIXTURES "/eval/works/bib-dedupe_test_cases.json"));
  const auto& v = json.values;
  ASSERT_EQ(v.at("/cases/#"), "25");
  int passed = 0;
  for (int i = 0; i < 25; ++i) {
    const auto c = "/cases/" + std::to_string(i);
    const bool expected = v.at(c + "/expected_duplicate") == "true";
    const auto d = match(from_record(v, c + "/record_a"), from_record(v, c + "/record_b"));
    const bool merged = d.verdict == Verdict::same;
    EXPECT_EQ(merged, expected) << v.at(c + "/id") << ": " << d.reason;
    passed += merged == expected ? 1 : 0;
  }
  EXPECT_EQ(passed, 25);
}

/// The shared part of Leipzig DBLP-ACM must stay at the issue's bar (F1 ≥ 0.97 with
/// precision ≥ 0.99). A missing folder fails the test.
TEST(DblpAcm, SharedPartMeetsTheBar) {
  const auto dir = std::filesystem::path(BZPEER_FIXTURES "/eval/labelled/dblp-acm-leipzig");
  ASSERT_TRUE(std::filesystem::exists(dir / "DBLP2.csv")) << "missing " << dir;
  std::vector<WorkKey> keys;
  std::map<std::string, int> index;
  std::size_t n_dblp = 0;
  for (const char* file : {"DBLP2.csv", "ACM.csv"}) {
    const auto t = parse_csv(to_utf8(read_file(dir / file)));
    for (const auto& row : t.rows) {
      WorkKey k;
      k.title = t.cell(row, t.column("title"));
      k.authors = family_names(decode_entities(t.cell(row, t.column("authors"))));
      k.venue = decode_entities(t.cell(row, t.column("venue")));
      k.year = std::stoi(t.cell(row, t.column("year")));
      index[std::string(file) + t.cell(row, t.column("id"))] = static_cast<int>(keys.size());
      keys.push_back(std::move(k));
    }
    if (n_dblp == 0) n_dblp = keys.size();
  }
  std::set<std::pair<int, int>> gold;
  for (const auto& row : parse_csv(read_file(dir / "DBLP-ACM_perfectMapping.csv"), false).rows) {
    if (row.size() < 2 || row[0] == "idDBLP") continue;
    gold.emplace(index.at("DBLP2.csv" + row[0]), index.at("ACM.csv" + row[1]));
  }
  ASSERT_GT(gold.size(), 1000U);
  const auto labels = cluster(keys);
  std::map<int, std::vector<int>> groups;
  for (std::size_t i = 0; i < labels.size(); ++i) groups[labels[i]].push_back(static_cast<int>(i));
  double predicted = 0, correct = 0;
  for (const auto& [label, members] : groups) {
    for (const int x : members) {
      for (const int y : members) {
        if (static_cast<std::size_t>(x) < n_dblp && static_cast<std::size_t>(y) >= n_dblp) {
          ++predicted;
          correct += gold.count({x, y}) != 0 ? 1 : 0;
        }
      }
    }
  }
  const double precision = correct / predicted;
  const double recall = correct / static_cast<double>(gold.size());
  const double f1 = 2 * precision * recall / (precision + recall);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(f1, 0.97);
  RecordProperty("f1", std::to_string(f1));
}

}  // namespace
}  // namespace bzpeer::dedupe
