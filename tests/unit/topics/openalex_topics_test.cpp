// OpenAlex topics through the store, on the real OpenAlex fixture (50 works, each with
// up to three topics): kept per work with their hierarchy and scores, in the topic
// profile of a researcher, in the index documents (`topic:` and the topic filter), and
// gone with the record that gave them. Along the way, the keyphrase document frequencies
// stay equal to a count over the stored works.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "index/queries/queries.hpp"
#include "index/search/search_index.hpp"
#include "index/store/sqlite.hpp"
#include "index/store/store.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "pipeline/topics/keyphrases.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

/// The works of a recorded OpenAlex page, one source record each (as the connector
/// stores them: source "openalex", format "openalex", the short W id, the minified work).
std::vector<store::MappedRecord> openalex_page(const fs::path& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element page = parser.load(file.string());
  std::vector<store::MappedRecord> out;
  for (simdjson::dom::element work : page["results"].get_array()) {
    store::MappedRecord r;
    r.record.source = "openalex";
    r.record.format = "openalex";
    std::string_view id = work["id"].get_string().value();
    r.record.source_id = std::string(id.substr(id.rfind('/') + 1));
    r.record.datestamp = std::string(work["updated_date"].get_string().value());
    r.record.payload = simdjson::minify(work);
    r.work = parse::map_openalex(r.record.payload);
    out.push_back(std::move(r));
  }
  return out;
}

/// phrase_df holds, for each candidate key, the number of live works whose stored title
/// and abstract yield it, and under the empty key the number of live works.
void expect_phrase_df_matches_works(const fs::path& dir) {
  store::Connection db((dir / "store.sqlite").string(), true);
  std::map<std::string, std::int64_t> want;
  auto works = db.prepare("SELECT title, abstract FROM works WHERE deleted=0");
  while (works.step()) {
    ++want[""];
    for (const auto& k :
         topics::document_keys(topics::extract_candidates(works.get_text(0), works.get_text(1)))) {
      ++want[k];
    }
  }
  std::map<std::string, std::int64_t> have;
  auto df = db.prepare("SELECT stem, df FROM phrase_df");
  while (df.step()) have[df.get_text(0)] = df.get_int(1);
  EXPECT_GT(want[""], 0);
  EXPECT_EQ(have, want);
}

store::Checkpoint checkpoint() {
  store::Checkpoint c;
  c.source = "openalex";
  c.format = "openalex";
  return c;
}

TEST(OpenAlexTopics, StoredProfiledIndexedAndForgotten) {
  TempDir dir;
  auto records = openalex_page(fs::path(BZPEER_FIXTURES) / "openalex" /
                               "openalexPro_chunk1_works_cursor-page1.json");
  ASSERT_EQ(records.size(), 50u);
  // What the fixture says, from the mapper: per work, topic id -> (label, score, subfield).
  std::map<std::string, std::map<std::string, TopicScore>> expected;
  for (const auto& r : records) {
    ASSERT_TRUE(r.work.has_value()) << r.record.source_id;
    for (const auto& t : r.work->topics) expected[r.record.source_id][t.id] = t;
  }
  ASSERT_GE(expected.size(), 40u);

  auto store = store::Store::open(dir.path(), store::OpenMode::read_write);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  ASSERT_TRUE(store->apply_page(records, checkpoint()).has_value());
  ASSERT_TRUE(store->consolidate().has_value());
  expect_phrase_df_matches_works(dir.path());

  {
    // Per work: every topic its records give, with the best score, and its hierarchy.
    // (Records the deduplication merged into one work pool their topics.)
    store::Connection db((dir.path() / "store.sqlite").string(), true);
    std::map<std::int64_t, std::map<std::string, TopicScore>> want;
    auto records_of = db.prepare("SELECT work_id, source_id FROM source_records");
    while (records_of.step()) {
      for (const auto& [id, t] : expected[records_of.get_text(1)]) {
        auto& w = want[records_of.get_int(0)][id];
        if (w.id.empty() || t.score > w.score) w = t;
      }
    }
    auto q = db.prepare(
        "SELECT t.work_id, t.topic, t.score, o.label, o.subfield, o.field, o.domain "
        "FROM work_topics t JOIN openalex_topics o ON o.topic_id=t.topic "
        "WHERE t.kind='openalex'");
    std::size_t rows = 0;
    while (q.step()) {
      ++rows;
      ASSERT_TRUE(want[q.get_int(0)].contains(q.get_text(1))) << q.get_text(1);
      const auto& t = want[q.get_int(0)][q.get_text(1)];
      EXPECT_DOUBLE_EQ(q.get_double(2), t.score);
      EXPECT_EQ(q.get_text(3), t.label);
      EXPECT_EQ(q.get_text(4), t.subfield);
      EXPECT_EQ(q.get_text(5), t.field);
      EXPECT_EQ(q.get_text(6), t.domain);
      EXPECT_FALSE(q.get_text(6).empty());
    }
    std::size_t want_rows = 0;
    for (const auto& [_, ts] : want) want_rows += ts.size();
    EXPECT_EQ(rows, want_rows);
    EXPECT_GE(rows, 100u);
  }

  // Index documents carry the topic's and the subfield's names next to the keyphrases.
  std::vector<std::int64_t> removed;
  std::map<std::int64_t, std::vector<std::string>> indexed;
  auto writer = search::IndexWriter::open(dir.path() / "index");
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  auto collect = [&](const search::IndexDocument& d) {
    indexed[d.work_id] = d.topics;
    ASSERT_TRUE(writer->upsert(d).has_value());
  };
  ASSERT_TRUE(store->for_each_index_document(true, collect, &removed).has_value());
  ASSERT_TRUE(writer->commit().has_value());
  ASSERT_GE(indexed.size(), 45u);
  std::set<std::int64_t> with_topic;
  for (const auto& [id, topics] : indexed) {
    if (std::ranges::find(topics, "Conservation, Biodiversity, and Resource Management") !=
            topics.end() &&
        std::ranges::find(topics, "Global and Planetary Change") != topics.end()) {
      with_topic.insert(id);
    }
  }
  EXPECT_GE(with_topic.size(), 20u);  // 23 records of the page have T10319; some merged

  // `topic:` finds them by the topic's words, the topic filter by its whole name.
  auto reader = search::IndexReader::open(dir.path() / "index");
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  search::SearchRequest by_word;
  by_word.query = "topic:biodiversity";
  by_word.limit = 100;
  auto hits = reader->search(by_word);
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  std::set<std::int64_t> found;
  for (const auto& h : hits->hits) found.insert(h.work_id);
  EXPECT_TRUE(std::ranges::includes(found, with_topic));
  search::SearchRequest by_label;
  by_label.topics = {"conservation, biodiversity, and resource management"};
  by_label.limit = 100;
  hits = reader->search(by_label);
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  found.clear();
  for (const auto& h : hits->hits) found.insert(h.work_id);
  EXPECT_EQ(found, with_topic);

  // Stefano Pagiola signs three works of the page; the author clustering gives the two
  // 2004/2005 "Paying for Biodiversity Conservation Services" papers (W2180613954,
  // W3141231078) one author. Both have T10319, one each T10841, T13438 and T13009: the
  // profile lists T10319 by name with its two supporting works, and none of the others.
  auto authors = queries::find_authors(*store, "Stefano Pagiola");
  ASSERT_TRUE(authors.has_value() && !authors->empty());
  ASSERT_EQ(authors->front().works, 2);
  auto profile = queries::profile(*store, authors->front().author_id);
  ASSERT_TRUE(profile.has_value()) << profile.error().message;
  std::map<std::string, queries::TopicWeight> by_topic;
  for (const auto& t : profile->topics) by_topic[t.topic] = t;
  ASSERT_TRUE(by_topic.contains("T10319"));
  EXPECT_EQ(by_topic["T10319"].kind, "openalex");
  EXPECT_EQ(by_topic["T10319"].label, "Conservation, Biodiversity, and Resource Management");
  EXPECT_EQ(by_topic["T10319"].works, 2);
  EXPECT_GT(by_topic["T10319"].weight, 0.3);
  for (const char* single : {"T10841", "T13438", "T13009"}) EXPECT_FALSE(by_topic.contains(single));

  // A deleted record takes its topics along.
  auto gone = records.front();
  gone.record.deleted = true;
  gone.record.payload.clear();
  ASSERT_TRUE(store->apply_page({gone}, checkpoint()).has_value());
  ASSERT_TRUE(store->consolidate().has_value());
  expect_phrase_df_matches_works(dir.path());
  store::Connection db((dir.path() / "store.sqlite").string(), true);
  auto q = db.prepare(
      "SELECT COUNT(*) FROM work_topics t JOIN source_records r ON r.work_id=t.work_id "
      "WHERE r.source_id=? AND t.kind='openalex'");
  q.bind(1, gone.record.source_id);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.get_int(0), 0);
}

}  // namespace
}  // namespace bzpeer

namespace bzpeer {
namespace {

std::vector<store::MappedRecord> openalex_fixture_page() {
  return openalex_page(fs::path(BZPEER_FIXTURES) / "openalex" /
                       "openalexPro_chunk1_works_cursor-page1.json");
}

/// Stores `records` as one page in a read-write store under `dir` and closes it.
void store_and_close(const fs::path& dir, const std::vector<store::MappedRecord>& records) {
  auto s = store::Store::open(dir, store::OpenMode::read_write);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_TRUE(s->apply_page(records, checkpoint()).has_value());
}

std::string unflushed_marker(const fs::path& dir) {
  store::Connection db((dir / "store.sqlite").string(), true);
  auto q = db.prepare("SELECT value FROM meta WHERE key='phrase_df_unflushed'");
  return q.step() ? q.get_text(0) : std::string();
}

// A page's document-frequency changes wait in memory (shared by the Stores of one file in
// the process), with a meta row saying so; closing the last Store writes them.
TEST(PhraseDfBuffer, PagesBufferUntilCloseAndTheStoreSaysSo) {
  TempDir dir;
  auto records = openalex_page(fs::path(BZPEER_FIXTURES) / "openalex" /
                               "openalexPro_chunk1_works_cursor-page1.json");
  ASSERT_EQ(records.size(), 50u);
  const std::vector<store::MappedRecord> first(records.begin(), records.begin() + 25);
  const std::vector<store::MappedRecord> second(records.begin() + 25, records.end());
  {
    auto a = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(a.has_value()) << a.error().message;
    auto b = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(b.has_value()) << b.error().message;
    ASSERT_TRUE(a->apply_page(first, checkpoint()).has_value());
    EXPECT_EQ(unflushed_marker(dir.path()), "1");
    {
      store::Connection db((dir.path() / "store.sqlite").string(), true);
      auto q = db.prepare("SELECT COUNT(*) FROM phrase_df");
      ASSERT_TRUE(q.step());
      EXPECT_EQ(q.get_int(0), 0) << "written with the page, not buffered";
    }
    ASSERT_TRUE(b->apply_page(second, checkpoint()).has_value());
    {
      auto moved = std::move(*a);  // a moved-from Store writes nothing
    }
    // `moved` closed with both pages' changes (one buffer per file).
    EXPECT_EQ(unflushed_marker(dir.path()), "");
    expect_phrase_df_matches_works(dir.path());
  }
  EXPECT_EQ(unflushed_marker(dir.path()), "");
  expect_phrase_df_matches_works(dir.path());
}

// A process that finds the meta row (an earlier one died with changes in memory) recounts
// phrase_df at its consolidation.
TEST(PhraseDfBuffer, LeftoverMarkerMeansARecountAtConsolidation) {
  TempDir dir;
  const auto records = openalex_fixture_page();
  ASSERT_NO_FATAL_FAILURE(store_and_close(dir.path(), records));
  expect_phrase_df_matches_works(dir.path());
  {
    // What a killed process leaves: counts missing from phrase_df, and the meta row.
    store::Connection db((dir.path() / "store.sqlite").string(), false);
    db.exec("DELETE FROM phrase_df WHERE length(stem) % 3 = 0 OR stem = ''");
    db.exec("INSERT INTO meta(key, value) VALUES('phrase_df_unflushed', '1')");
  }
  auto s = store::Store::open(dir.path(), store::OpenMode::read_write);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_TRUE(s->consolidate().has_value());
  EXPECT_EQ(unflushed_marker(dir.path()), "");
  expect_phrase_df_matches_works(dir.path());
}

// A store opened read-only refuses writes with an error naming it, never a crash.
TEST(PhraseDfBuffer, ReadOnlyStoreRefusesPagesAndConsolidation) {
  TempDir dir;
  const auto records = openalex_fixture_page();
  ASSERT_NO_FATAL_FAILURE(store_and_close(dir.path(), records));
  auto ro = store::Store::open(dir.path(), store::OpenMode::read_only);
  ASSERT_TRUE(ro.has_value()) << ro.error().message;
  auto page = ro->apply_page(records, checkpoint());
  ASSERT_FALSE(page.has_value());
  EXPECT_NE(page.error().message.find("read-only"), std::string::npos) << page.error().message;
  EXPECT_NE(page.error().message.find("store.sqlite"), std::string::npos);
  auto consolidated = ro->consolidate();
  ASSERT_FALSE(consolidated.has_value());
  EXPECT_NE(consolidated.error().message.find("read-only"), std::string::npos);
}

}  // namespace
}  // namespace bzpeer
