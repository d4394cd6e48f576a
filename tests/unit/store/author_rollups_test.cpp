// Author roll-ups (author_rollups.cpp): the collaboration table, work counts and topic
// profiles equal a reference computed here straight from the authorships with SQL, after a
// first consolidation (every author pending: one pass over all works, more authors than
// one batch of the parallel computation) and after an incremental one (a few authors
// pending: only their works are read). The data has a work whose arXiv list has more than
// 100 names while a second source names three of them, and authors whose works share
// keyphrases, so profiles are not empty.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "index/store/store.hpp"
#include "index/store/store_impl.hpp"
#include "pipeline/topics/author_topics.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

/// A family name per number, letters only ("Ba", "Be", …), so each is its own name block.
std::string family_name(int n) {
  static const char* const kSyllables[] = {"ba", "ke", "lo", "mu", "ri", "sa", "to", "ve"};
  std::string out;
  for (int k = 0; k < 5; ++k, n /= 8) out += kSyllables[n % 8];
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

store::MappedRecord record(const std::string& source, const std::string& arxiv_id,
                           const std::vector<int>& people, const std::string& title,
                           const std::string& category, int year) {
  store::MappedRecord r;
  r.record.source = source;
  r.record.format = source == "arxiv" ? "arXivRaw" : "crossref";
  r.record.source_id = source == "arxiv" ? "oai:arXiv.org:" + arxiv_id : "x:" + arxiv_id;
  r.record.datestamp = std::to_string(year) + "-03-01";
  r.record.payload = "<r><id>" + arxiv_id + "</id><n>" + std::to_string(people.size()) + "</n></r>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = title;
  w.abstract = title + ". We study " + title + " in detail.";
  w.first_date = std::to_string(year) + "-03-01";
  w.year = year;
  w.categories = {category};
  for (const auto p : people) {
    AuthorMention m;
    m.position = static_cast<int>(w.authors.size()) + 1;
    m.given = "Ada";
    m.family = family_name(p);
    m.printed = m.given + " " + m.family;
    w.authors.push_back(std::move(m));
  }
  r.work = std::move(w);
  return r;
}

using CollaborationRow = std::tuple<std::int64_t, std::int64_t, std::int64_t, int, int>;
using TopicRow =
    std::tuple<std::int64_t, std::string, std::int64_t, double, std::string, std::string>;

std::vector<CollaborationRow> stored_collaborations(store::Connection& db) {
  std::vector<CollaborationRow> out;
  auto q =
      db.prepare("SELECT a, b, works, first_year, last_year FROM collaborations ORDER BY a, b");
  while (q.step())
    out.emplace_back(q.get_int(0), q.get_int(1), q.get_int(2), static_cast<int>(q.get_int(3)),
                     static_cast<int>(q.get_int(4)));
  return out;
}

/// Reference: pairs of authors on a live work, the smaller id named on a list of at most
/// 100 names of the work.
std::vector<CollaborationRow> expected_collaborations(store::Connection& db) {
  std::vector<CollaborationRow> out;
  auto q = db.prepare(
      "SELECT x.author_id, y.author_id, COUNT(DISTINCT x.work_id), MIN(w.year), MAX(w.year) "
      "FROM authorships x JOIN authorships y ON y.work_id=x.work_id AND y.author_id>x.author_id "
      "JOIN works w ON w.work_id=x.work_id AND w.deleted=0 "
      "WHERE (SELECT COUNT(*) FROM authorships n WHERE n.work_id=x.work_id "
      "AND n.source=x.source) <= 100 "
      "GROUP BY x.author_id, y.author_id ORDER BY 1, 2");
  while (q.step())
    out.emplace_back(q.get_int(0), q.get_int(1), q.get_int(2), static_cast<int>(q.get_int(3)),
                     static_cast<int>(q.get_int(4)));
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> stored_work_counts(store::Connection& db) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  auto q = db.prepare("SELECT author_id, works FROM authors ORDER BY author_id");
  while (q.step()) out.emplace_back(q.get_int(0), q.get_int(1));
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> expected_work_counts(store::Connection& db) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  auto q = db.prepare(
      "SELECT u.author_id, (SELECT COUNT(DISTINCT a.work_id) FROM authorships a JOIN works w "
      "ON w.work_id=a.work_id AND w.deleted=0 WHERE a.author_id=u.author_id) "
      "FROM authors u ORDER BY u.author_id");
  while (q.step()) out.emplace_back(q.get_int(0), q.get_int(1));
  return out;
}

std::vector<TopicRow> stored_topics(store::Connection& db) {
  std::vector<TopicRow> out;
  auto q = db.prepare(
      "SELECT author_id, topic, works, weight, kind, label FROM author_topics "
      "ORDER BY author_id, topic");
  while (q.step())
    out.emplace_back(q.get_int(0), q.get_text(1), q.get_int(2), q.get_double(3), q.get_text(4),
                     q.get_text(5));
  return out;
}

/// Reference: each author's works in id order, with the size of the work's first source's
/// list and its topics in work_topics key order, aggregated one author at a time.
std::vector<TopicRow> expected_topics(store::Connection& db) {
  std::vector<TopicRow> out;
  std::vector<std::int64_t> ids;
  {
    auto q = db.prepare("SELECT author_id FROM authors ORDER BY author_id");
    while (q.step()) ids.push_back(q.get_int(0));
  }
  auto rows = db.prepare(
      "SELECT w.work_id, w.year, (SELECT COUNT(*) FROM authorships n WHERE n.work_id=w.work_id "
      "AND n.source=(SELECT MIN(m.source) FROM authorships m WHERE m.work_id=w.work_id)) "
      "FROM works w WHERE w.deleted=0 "
      "AND w.work_id IN (SELECT work_id FROM authorships WHERE author_id=?) ORDER BY w.work_id");
  auto work_topics = db.prepare(
      "SELECT t.kind, t.topic, t.score, COALESCE(o.label, '') FROM work_topics t "
      "LEFT JOIN openalex_topics o ON t.kind='openalex' AND o.topic_id=t.topic "
      "WHERE t.work_id=? AND t.kind IN ('category', 'keyphrase', 'openalex') "
      "ORDER BY t.kind, t.topic");
  for (const auto id : ids) {
    std::vector<topics::AuthorWork> works;
    rows.bind(1, id);
    while (rows.step()) {
      auto& w = works.emplace_back();
      w.year = static_cast<int>(rows.get_int(1));
      w.n_authors = static_cast<int>(rows.get_int(2));
      work_topics.bind(1, rows.get_int(0));
      while (work_topics.step()) {
        w.topics.push_back({*topics::topic_kind(work_topics.get_text(0)), work_topics.get_text(1),
                            work_topics.get_double(2), work_topics.get_text(3)});
      }
      work_topics.reset();
    }
    rows.reset();
    for (const auto& t : topics::aggregate_author_topics(works))
      out.emplace_back(id, t.topic, t.works, t.weight, std::string(topics::to_string(t.kind)),
                       t.label);
  }
  std::ranges::sort(out, [](const TopicRow& x, const TopicRow& y) {
    return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
  });
  return out;
}

std::int64_t count(store::Connection& db, const char* sql) {
  auto q = db.prepare(sql);
  return q.step() ? q.get_int(0) : -1;
}

class AuthorRollupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().describe();
    store_.emplace(std::move(*opened));
  }

  void apply(const std::vector<store::MappedRecord>& page, const std::string& source) {
    store::Checkpoint next;
    next.source = source;
    next.format = page.front().record.format;
    auto applied = store_->apply_page(page, next);
    ASSERT_TRUE(applied) << applied.error().describe();
  }

  void consolidate() {
    auto consolidated = store_->consolidate();
    ASSERT_TRUE(consolidated) << consolidated.error().describe();
    collaborations_reported_ = consolidated->collaborations;
  }

  void expect_rollups_match_reference() {
    auto& db = store_->impl().db;
    const auto collaborations = stored_collaborations(db);
    EXPECT_EQ(collaborations, expected_collaborations(db));
    EXPECT_EQ(stored_work_counts(db), expected_work_counts(db));
    const auto topics = stored_topics(db);
    EXPECT_EQ(topics, expected_topics(db));
    EXPECT_FALSE(collaborations.empty());
    EXPECT_FALSE(topics.empty());
  }

  test_support::TempDir dir_;
  std::optional<store::Store> store_;
  std::int64_t collaborations_reported_ = 0;
};

TEST_F(AuthorRollupsTest, FirstAndIncrementalConsolidationMatchTheReference) {
  // 8,400 people (more than the 8,192 authors of one batch), each on about three of 6,000
  // works of four names; titles drawn from a few phrases, so keyphrases recur.
  constexpr int kPeople = 8400;
  constexpr int kWorks = 6000;
  static const char* const kPhrases[] = {"dark matter halos",      "spin glass dynamics",
                                         "neural network pruning", "quantum error correction",
                                         "galaxy cluster lensing", "graph neural networks"};
  static const char* const kCategories[] = {"astro-ph.CO", "cond-mat.dis-nn", "cs.LG", "quant-ph"};
  std::mt19937 rng(20261128);
  std::vector<store::MappedRecord> page;
  for (int w = 0; w < kWorks; ++w) {
    std::vector<int> people;
    while (people.size() < 4) {
      const int p = static_cast<int>(rng() % kPeople);
      if (std::ranges::find(people, p) == people.end()) people.push_back(p);
    }
    const std::string title = std::string(kPhrases[rng() % 6]) + " and " + kPhrases[rng() % 6];
    page.push_back(record("arxiv", "2001." + std::to_string(10000 + w), people, title,
                          kCategories[rng() % 4], 2015 + static_cast<int>(rng() % 8)));
    if (page.size() == 1000) apply(page, "arxiv"), page.clear();
  }
  // A collaboration paper: 120 names on arXiv (no pairs from that list), three of them
  // also on a second source's short list (they pair with every author of the work).
  std::vector<int> big;
  for (int p = 0; p < 120; ++p) big.push_back(p * 70);
  page.push_back(
      record("arxiv", "2105.00001", big, "dark matter halos survey", "astro-ph.CO", 2021));
  apply(page, "arxiv");
  apply({record("crossref", "2105.00001", {big[5], big[60], big[119]}, "dark matter halos survey",
                "astro-ph.CO", 2021)},
        "crossref");
  consolidate();
  if (HasFailure()) return;

  auto& db = store_->impl().db;
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM authors"), 8192) << "more authors than a batch";
  EXPECT_EQ(count(db,
                  "SELECT COUNT(DISTINCT source) FROM authorships a JOIN work_ids i "
                  "ON i.work_id=a.work_id AND i.scheme='arxiv' AND i.value='2105.00001'"),
            2)
      << "both lists of the collaboration paper are on one work";
  EXPECT_EQ(collaborations_reported_, count(db, "SELECT COUNT(*) FROM collaborations"));
  expect_rollups_match_reference();

  // Incremental: a few works re-harvested with other names and a few new ones. Only the
  // authors they touch are pending (fewer than a quarter: only their works are read).
  page.clear();
  for (int w = 0; w < 40; ++w) {
    std::vector<int> people = {w * 11, w * 11 + 1, kPeople + w};
    page.push_back(record("arxiv", "2001." + std::to_string(10000 + w * 7), people,
                          "spin glass dynamics revisited", "cond-mat.dis-nn", 2023));
  }
  apply(page, "arxiv");
  const auto pending = count(db, "SELECT COUNT(*) FROM pending_authors");
  EXPECT_GT(pending, 0);
  EXPECT_LT(pending * 4, count(db, "SELECT MAX(author_id) FROM authors"));
  consolidate();
  expect_rollups_match_reference();
}

}  // namespace
}  // namespace bzpeer
