// bzpeer — topics in the store: phrase document frequencies (phrase_df), OpenAlex topics
// (openalex_topics, record_topics) and each work's topics (work_topics: arXiv categories,
// keyphrases and OpenAlex topics).
//
// Invariant: phrase_df holds, for every candidate key, the number of live works
// (deleted = 0) whose stored title + abstract yield it; the row with the empty key holds
// the number of live works counted. apply_page reads a work's counted text before the
// row is written (counted_text) and moves the contribution to the text actually stored
// once it is written (update_phrase_df): the stored text may stay the old one when the
// incoming record ranks lower for text. A work that becomes a tombstone gives its
// contribution back (forget_phrase_df).
//
// OpenAlex topics are kept per source record (write_record_topics), so a record that
// leaves a work takes its topics along; a work's 'openalex' topics are the best score per
// topic over its live records, recomputed with its other topics.
//
// Scores depend on the document frequencies, so they are computed at consolidation for
// the works waiting in pending_index; when the corpus has doubled or halved since the
// last full pass, or the extractor changed (kKeyphraseVersion), every work is rescored
// (after a rebuild of phrase_df in the latter case) and every author re-rolled.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <mutex>
#include <unordered_map>

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>

#include "index/store/store_impl.hpp"
#include "pipeline/topics/keyphrases.hpp"
#include "pipeline/topics/taxonomy.hpp"

namespace bzpeer::store {
namespace {

constexpr double kRescoreFactor = 2.0;

std::int64_t df_of(Statement& q, std::string_view key) {
  q.bind(1, key);
  std::int64_t df = q.step() ? q.get_int(0) : 0;
  q.reset();
  return df;
}

}  // namespace

void ensure_topic_schema(Connection& db) {
  // Stores created before topics had kinds and labels get the two columns.
  auto q = db.prepare("SELECT COUNT(*) FROM pragma_table_info('author_topics') WHERE name='kind'");
  q.step();
  if (q.get_int(0) == 0) {
    db.exec("ALTER TABLE author_topics ADD COLUMN kind TEXT NOT NULL DEFAULT 'category'");
    db.exec("ALTER TABLE author_topics ADD COLUMN label TEXT NOT NULL DEFAULT ''");
  }
  // A store without works has counted nothing yet: the frequencies apply_page keeps from
  // now on are the current extractor's, so the first consolidation need not rebuild them.
  db.exec("INSERT OR IGNORE INTO meta(key, value) SELECT 'keyphrase_version', '" +
          std::to_string(topics::kKeyphraseVersion) +
          "' WHERE NOT EXISTS (SELECT 1 FROM works) AND NOT EXISTS (SELECT 1 FROM phrase_df)");
}

void write_record_topics(Connection& db, const SourceRecord& record, const Work& work) {
  db.cached("DELETE FROM record_topics WHERE source=? AND source_id=? AND format=?")
      ->bind(1, record.source)
      .bind(2, record.source_id)
      .bind(3, record.format)
      .run();
  if (work.topics.empty()) return;
  auto topic = db.prepare(
      "INSERT INTO openalex_topics(topic_id, label, subfield, field, domain) VALUES(?,?,?,?,?) "
      "ON CONFLICT(topic_id) DO UPDATE SET label=excluded.label, subfield=excluded.subfield, "
      "field=excluded.field, domain=excluded.domain");
  auto ins = db.prepare(
      "INSERT INTO record_topics(source, source_id, format, topic_id, score) VALUES(?,?,?,?,?) "
      "ON CONFLICT DO UPDATE SET score=MAX(score, excluded.score)");
  for (const auto& t : work.topics) {
    if (t.id.empty()) continue;
    // A topic without a label keeps the label stored from another record.
    if (!t.label.empty()) {
      topic.bind(1, t.id).bind(2, t.label).bind(3, t.subfield).bind(4, t.field).bind(5, t.domain);
      topic.run();
    }
    ins.bind(1, record.source)
        .bind(2, record.source_id)
        .bind(3, record.format)
        .bind(4, t.id)
        .bind(5, std::clamp(t.score, 0.0, 1.0))
        .run();
  }
}

void refresh_work_topics(Connection& db, PhraseDfBuffer::Taken& written, PhraseDfBuffer& buffer) {
  const std::string version = std::to_string(topics::kKeyphraseVersion);
  const bool new_extractor = meta_get(db, "keyphrase_version") != version;
  // The buffered changes of this process's pages first (a recount after a crash).
  written = buffer.write(db);
  if (new_extractor && !written.was_stale) rebuild_phrase_df(db);

  auto df = db.prepare("SELECT df FROM phrase_df WHERE stem=?");
  const std::int64_t n_docs = df_of(df, "");
  const std::string last_text = meta_get(db, "keyphrase_scored_docs");
  const double last = last_text.empty() ? 0.0 : std::stod(last_text);
  const auto n = static_cast<double>(n_docs);
  const bool full =
      new_extractor || last <= 0 || n > last * kRescoreFactor || n < last / kRescoreFactor;

  db.exec(
      "DELETE FROM work_topics WHERE work_id IN (SELECT p.work_id FROM pending_index p "
      "LEFT JOIN works w ON w.work_id=p.work_id WHERE w.work_id IS NULL OR w.deleted=1)");
  if (full) {
    db.exec("DELETE FROM work_topics WHERE kind IN ('category', 'keyphrase', 'openalex')");
    db.exec("INSERT OR IGNORE INTO pending_authors(author_id) SELECT author_id FROM authors");
    db.exec(
        "INSERT OR IGNORE INTO pending_index(work_id) SELECT work_id FROM works WHERE deleted=0");
    meta_set(db, "keyphrase_version", version);
    meta_set(db, "keyphrase_scored_docs", std::to_string(n_docs));
  }
  auto works = db.prepare(
      std::string("SELECT work_id, title, abstract, categories FROM works WHERE deleted=0 ") +
      (full ? "" : "AND work_id IN (SELECT work_id FROM pending_index) ") + "ORDER BY work_id");
  // OpenAlex topics: the best score per topic over the work's live records.
  db.exec(
      "DELETE FROM work_topics WHERE kind='openalex' AND work_id IN "
      "(SELECT work_id FROM pending_index)");
  // CROSS JOIN keeps pending_index the outer loop: the planner would otherwise walk every
  // source record in work order.
  db.exec(
      "INSERT INTO work_topics(work_id, topic, kind, score) "
      "SELECT r.work_id, t.topic_id, 'openalex', MAX(t.score) FROM pending_index p "
      "CROSS JOIN works w ON w.work_id=p.work_id AND w.deleted=0 "
      "CROSS JOIN source_records r ON r.work_id=p.work_id AND r.deleted=0 "
      "JOIN record_topics t ON t.source=r.source AND t.source_id=r.source_id "
      "AND t.format=r.format GROUP BY r.work_id, t.topic_id");
  auto clear =
      db.prepare("DELETE FROM work_topics WHERE work_id=? AND kind IN ('category', 'keyphrase')");
  auto ins =
      db.prepare("INSERT OR REPLACE INTO work_topics(work_id, topic, kind, score) VALUES(?,?,?,?)");
  // In batches: the candidates of a batch of works are extracted in parallel, and their
  // distinct keys looked up in phrase_df in key order (neighbouring keys share B-tree
  // leaves; on a large store, one random probe per candidate was most of the time).
  struct Text {
    std::int64_t id = 0;
    std::string title, abstract, categories;
    std::vector<topics::Candidate> candidates;
  };
  constexpr std::size_t kBatch = 2048;
  std::vector<Text> batch;
  batch.reserve(kBatch);
  std::unordered_map<std::string_view, std::int64_t> dfs;
  auto lookup = [&dfs](std::string_view key) {
    auto it = dfs.find(key);
    return it == dfs.end() ? std::int64_t{0} : it->second;
  };
  auto score_batch = [&] {
    tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
      batch[i].candidates = topics::extract_candidates(batch[i].title, batch[i].abstract);
    });
    std::vector<std::string_view> keys;
    for (const auto& t : batch) {
      for (const auto& c : t.candidates) keys.emplace_back(c.key);
    }
    std::ranges::sort(keys);
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    dfs.clear();
    for (const auto key : keys) dfs.emplace(key, df_of(df, key));
    for (const auto& t : batch) {
      clear.bind(1, t.id).run();
      for (const auto& c : topics::category_weights(split(t.categories, ' '))) {
        ins.bind(1, t.id).bind(2, c.id).bind(3, "category").bind(4, c.weight).run();
      }
      for (const auto& k : topics::rank_keyphrases(t.candidates, lookup, n_docs)) {
        ins.bind(1, t.id).bind(2, k.surface).bind(3, "keyphrase").bind(4, k.score).run();
      }
    }
    batch.clear();
  };
  const auto started = std::chrono::steady_clock::now();
  std::int64_t scored = 0;
  while (works.step()) {
    ++scored;
    batch.push_back(
        {works.get_int(0), works.get_text(1), works.get_text(2), works.get_text(3), {}});
    if (batch.size() == kBatch) score_batch();
  }
  score_batch();
  spdlog::debug("topics: {} works scored{} in {:.2f} s", scored, full ? " (all)" : "",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

IndexTopics::IndexTopics(Connection& db)
    : keyphrases_(db.prepare("SELECT topic FROM work_topics WHERE work_id=? AND kind='keyphrase' "
                             "ORDER BY score DESC, topic LIMIT ?")),
      openalex_(db.prepare("SELECT o.label, o.subfield FROM work_topics t JOIN openalex_topics o "
                           "ON o.topic_id=t.topic WHERE t.work_id=? AND t.kind='openalex' "
                           "ORDER BY t.score DESC, o.label")) {}

void IndexTopics::fill(search::IndexDocument& doc) {
  constexpr int kIndexedKeyphrases = 5;
  auto add = [&doc](std::string label) {
    if (!label.empty() && std::ranges::find(doc.topics, label) == doc.topics.end()) {
      doc.topics.push_back(std::move(label));
    }
  };
  for (const auto& c : topics::category_weights(doc.categories)) {
    add(std::string(topics::category_label(c.id)));
  }
  // OpenAlex topics with their subfield ("Topic Modeling", "Artificial Intelligence").
  openalex_.bind(1, doc.work_id);
  while (openalex_.step()) {
    add(openalex_.get_text(0));
    add(openalex_.get_text(1));
  }
  openalex_.reset();
  keyphrases_.bind(1, doc.work_id).bind(2, kIndexedKeyphrases);
  while (keyphrases_.step()) add(keyphrases_.get_text(0));
  keyphrases_.reset();
}

}  // namespace bzpeer::store
