// The Kaggle arXiv snapshot connector and mapper on the 150 real lines.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "connectors/arxiv_snapshot/snapshot_connector.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tests/unit/connectors/connector_test_support.hpp"

namespace bzpeer::testing {
namespace {

constexpr const char* kLines =
    "snapshot/arxiv-metadata-oai-snapshot_head_0704.0001-0704.0150.jsonl";

fs::path fixture_path() {
  return fs::path(BZPEER_FIXTURES) / kLines;
}

std::vector<std::string> fixture_lines() {
  std::ifstream in(fixture_path());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

snapshot::SnapshotConnectorOptions options_for(const fs::path& path, int per_page) {
  snapshot::SnapshotConnectorOptions options;
  options.path = path;
  options.source_name = "kaggle";
  options.lines_per_page = per_page;
  return options;
}

TEST(SnapshotConnector, StreamsTheRealLinesInPages) {
  snapshot::SnapshotConnector connector(options_for(fixture_path(), 40));
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  ASSERT_EQ(w.pages.size(), 4u);  // 40 + 40 + 40 + 30
  EXPECT_EQ(w.pages[3].records.size(), 30u);
  EXPECT_TRUE(w.pages[3].last);
  auto records = w.records();
  ASSERT_EQ(records.size(), 150u);
  EXPECT_EQ(records.front().source_id, "0704.0001");
  EXPECT_EQ(records.front().datestamp, "2008-11-26");
  EXPECT_EQ(records.front().format, "arxiv-snapshot");
  EXPECT_EQ(records.back().source_id, "0704.0150");
  // The payload is the line as it is in the file.
  EXPECT_EQ(records[9].payload, fixture_lines()[9]);
  // The newest update_date of the file closes the window (an OAI-PMH harvest goes on from it).
  std::string newest;
  for (const auto& r : records) newest = std::max(newest, r.datestamp);
  EXPECT_EQ(w.pages.back().complete_until, newest);
  for (const auto& r : records) {
    auto work = parse::map_record(r);
    EXPECT_TRUE(work) << r.source_id << ": " << work.error().message;
  }
}

TEST(SnapshotConnector, ResumesAtTheStoredByteOffset) {
  snapshot::SnapshotConnector first(options_for(fixture_path(), 40));
  auto all = walk(first);
  ASSERT_FALSE(all.error);
  const std::string after_two_pages = all.pages[1].next_state;
  // A new process: a fresh connector given the stored state.
  snapshot::SnapshotConnector resumed(options_for(fixture_path(), 40));
  auto rest = walk(resumed, after_two_pages);
  ASSERT_FALSE(rest.error) << rest.error->describe();
  auto records = rest.records();
  ASSERT_EQ(records.size(), 70u);
  EXPECT_EQ(records.front().source_id, "0704.0081");
  // The state starts with the byte offset of line 81.
  std::size_t offset = 0;
  auto lines = fixture_lines();
  for (int i = 0; i < 80; ++i) offset += lines[static_cast<std::size_t>(i)].size() + 1;
  EXPECT_EQ(after_two_pages.substr(0, after_two_pages.find(':')), std::to_string(offset));
}

TEST(SnapshotConnector, ABadLineIsQuarantinedWithItsNumberAndTheRestGoesOn) {
  TempDir dir;
  auto lines = fixture_lines();
  lines[2] = lines[2].substr(0, lines[2].size() / 2);  // line 3: cut in half
  // Line 5: a raw U+2028 inside the title string is data, not a line break.
  const std::string ls = "\xE2\x80\xA8";
  auto title = lines[4].find("\"title\":\"");
  ASSERT_NE(title, std::string::npos);
  lines[4].insert(title + 9, "Line" + ls + "separated ");
  const auto path = dir.path() / "snapshot.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& l : lines) out << l << '\n';
    out << "\n";  // a blank line at the end is ignored
  }
  snapshot::SnapshotConnector connector(options_for(path, 1000));
  auto w = walk(connector);
  ASSERT_FALSE(w.error) << w.error->describe();
  auto records = w.records();
  ASSERT_EQ(records.size(), 150u);
  EXPECT_EQ(records[2].source_id, "line:3");
  auto bad = parse::map_record(records[2]);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::mapping);
  EXPECT_NE(bad.error().message.find("line:3"), std::string::npos) << bad.error().message;
  EXPECT_EQ(records[4].source_id, "0704.0005");
  auto separated = parse::map_record(records[4]);
  ASSERT_TRUE(separated) << separated.error().message;
  EXPECT_EQ(separated->title.rfind("Line", 0), 0u);
  EXPECT_EQ(records[3].source_id, "0704.0004");
  EXPECT_EQ(records[149].source_id, "0704.0150");
  int mapped = 0;
  for (const auto& r : records) mapped += parse::map_record(r) ? 1 : 0;
  EXPECT_EQ(mapped, 149);
}

TEST(SnapshotConnector, WindowPassesOverOlderLines) {
  int expected = 0;
  std::regex date(R"re("update_date":"([0-9-]+)")re");
  for (const auto& l : fixture_lines()) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(l, m, date));
    if (m[1].str() >= "2015-01-01") ++expected;
  }
  ASSERT_GT(expected, 0);
  ASSERT_LT(expected, 150);
  auto options = options_for(fixture_path(), 10);
  options.window.from = "2015-01-01";
  snapshot::SnapshotConnector connector(options);
  auto w = walk(connector);
  ASSERT_FALSE(w.error);
  EXPECT_EQ(static_cast<int>(w.records().size()), expected);
  for (const auto& r : w.records()) EXPECT_GE(r.datestamp, "2015-01-01");
}

TEST(SnapshotConnector, MissingFileIsAnIoError) {
  snapshot::SnapshotConnector connector(options_for("/nonexistent/snapshot.jsonl", 10));
  auto page = connector.next_page("");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::io);
  EXPECT_NE(page.error().message.find("/nonexistent/snapshot.jsonl"), std::string::npos);
}

Work map_line(std::size_t index) {
  auto lines = fixture_lines();
  auto w = parse::map_record(
      SourceRecord{"kaggle", "arxiv-snapshot", "", "", false, {}, lines.at(index)});
  EXPECT_TRUE(w) << w.error().message;
  return w ? *w : Work{};
}

TEST(SnapshotMapper, EveryField) {
  Work w = map_line(0);
  EXPECT_EQ(w.arxiv_id, "0704.0001");
  EXPECT_EQ(
      w.title,
      "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
  EXPECT_EQ(w.abstract.rfind(
                "A fully differential calculation in perturbative quantum chromodynamics", 0),
            0u);
  EXPECT_EQ(w.dois, std::vector<std::string>{"10.1103/physrevd.76.013009"});
  EXPECT_EQ(w.journal_ref, "Phys.Rev.D76:013009,2007");
  EXPECT_EQ(w.comments, "37 pages, 15 figures; published version");
  EXPECT_EQ(w.categories, std::vector<std::string>{"hep-ph"});
  ASSERT_EQ(w.versions.size(), 2u);
  EXPECT_EQ(w.versions[0].date, "2007-04-02T19:18:42Z");
  EXPECT_EQ(w.versions[1].number, 2);
  EXPECT_EQ(w.first_date, "2007-04-02");
  EXPECT_EQ(w.last_date, "2007-07-24");
  EXPECT_EQ(w.year, 2007);
  EXPECT_EQ(w.type, WorkType::preprint);
  EXPECT_EQ(w.venue, "arXiv");
  ASSERT_EQ(w.authors.size(), 4u);
  EXPECT_EQ(w.authors[0].printed, "C. Balázs");  // authors_parsed: TeX already decoded
  EXPECT_EQ(w.authors[0].family, "Balázs");
  EXPECT_EQ(w.authors[3].given, "C. -P.");
  EXPECT_EQ(w.authors[3].position, 4);

  Work two = map_line(1);
  EXPECT_EQ(two.categories, (std::vector<std::string>{"math.CO", "cs.CG"}));
  EXPECT_EQ(two.license, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/");
  EXPECT_TRUE(two.dois.empty());

  Work suffix = map_line(8);
  EXPECT_EQ(suffix.arxiv_id, "0704.0009");
  ASSERT_GE(suffix.authors.size(), 6u);
  EXPECT_EQ(suffix.authors[5].printed, "Neal J. Evans II");
  EXPECT_EQ(suffix.authors[5].suffix, "II");
}

}  // namespace
}  // namespace bzpeer::testing
