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

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

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

// Keyphrase scoring of a batch of works. rank_candidates visits a work's candidates best
// bound first and stops early, so it needs the document frequencies of only a few of them
// (about 20 of 150); which ones depends on the frequencies found. The batch learns them
// in rounds, each looking up the keys of all its works in key order (neighbouring keys
// share B-tree leaves):
//  1. the candidates a ranking visits when every frequency is 1 (the largest idf) with a
//     larger top_k: the ones any ranking visits first;
//  2. a ranking where each frequency not yet known counts as the corpus size (the least a
//     phrase can score, or generic): it visits at least the candidates the true ranking
//     visits. If it met no unknown frequency, it is the true ranking; otherwise the
//     frequencies it met are looked up, and
//  3. the true ranking visits no unknown frequency (its scores are at least those of 2,
//     so it stops no later); should it meet one, it looks it up on its own.
// Every score is computed from true frequencies only: the rounds decide what to look up,
// never a result.
constexpr std::size_t kTopicBatch = 2048;
constexpr std::size_t kSeedTopK = 20;
constexpr std::int64_t kUnknownDf = -1;

struct TopicBatchWork {
  std::int64_t id = 0;
  std::string title, abstract, categories;
  std::vector<topics::Candidate> candidates;
  std::vector<std::int64_t> df;       ///< per candidate; kUnknownDf until looked up
  std::vector<std::uint32_t> wanted;  ///< candidates whose frequency the next round fetches
  std::vector<topics::Keyphrase> keyphrases;
  bool ranked = false;
};

struct TopicLookupStats {
  std::int64_t keys = 0;          ///< distinct keys looked up per batch, summed
  std::int64_t second_round = 0;  ///< works that needed round 3
  std::int64_t point = 0;         ///< frequencies round 3 had to look up on its own
};

/// Candidates and round 1, in parallel (no SQL).
void prepare_topic_batch(std::vector<TopicBatchWork>& batch, std::int64_t n_docs) {
  topics::KeyphraseOptions seed;
  seed.top_k = std::max(seed.top_k, kSeedTopK);
  tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
    auto& w = batch[i];
    w.candidates = topics::extract_candidates(w.title, w.abstract);
    w.df.assign(w.candidates.size(), kUnknownDf);
    (void)topics::rank_candidates(
        w.candidates,
        [&w](std::size_t c) {
          w.wanted.push_back(static_cast<std::uint32_t>(c));
          return std::int64_t{1};
        },
        n_docs, seed);
  });
}

/// Looks up the frequencies the works of the batch want, each distinct key once, in key
/// order.
void fetch_topic_dfs(std::vector<TopicBatchWork>& batch, Statement& df, TopicLookupStats& stats) {
  struct Want {
    std::string_view key;
    std::int64_t* df;
  };
  std::vector<Want> wants;
  for (auto& w : batch) {
    for (const auto c : w.wanted) {
      if (w.df[c] == kUnknownDf) wants.push_back({w.candidates[c].key, &w.df[c]});
    }
    w.wanted.clear();
  }
  std::ranges::sort(wants, {}, &Want::key);
  for (std::size_t i = 0; i < wants.size();) {
    const std::int64_t value = df_of(df, wants[i].key);
    ++stats.keys;
    std::size_t j = i;
    for (; j < wants.size() && wants[j].key == wants[i].key; ++j) *wants[j].df = value;
    i = j;
  }
}

/// Rounds 2 and 3: each work's keyphrases, exactly those of a ranking with every
/// frequency at hand.
void rank_topic_batch(std::vector<TopicBatchWork>& batch, Statement& df, std::int64_t n_docs,
                      TopicLookupStats& stats) {
  fetch_topic_dfs(batch, df, stats);
  const std::int64_t least = std::max<std::int64_t>(n_docs, 1);
  tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
    auto& w = batch[i];
    auto keyphrases = topics::rank_candidates(
        w.candidates,
        [&w, least](std::size_t c) {
          if (w.df[c] != kUnknownDf) return w.df[c];
          w.wanted.push_back(static_cast<std::uint32_t>(c));
          return least;
        },
        n_docs);
    w.ranked = w.wanted.empty();
    if (w.ranked) w.keyphrases = std::move(keyphrases);
  });
  fetch_topic_dfs(batch, df, stats);
  for (auto& w : batch) {
    if (w.ranked) continue;
    ++stats.second_round;
    w.keyphrases = topics::rank_candidates(
        w.candidates,
        [&](std::size_t c) {
          if (w.df[c] == kUnknownDf) {
            ++stats.point;
            w.df[c] = df_of(df, w.candidates[c].key);
          }
          return w.df[c];
        },
        n_docs);
    w.ranked = true;
  }
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
  // In batches, two at a time: while this thread looks up and writes one batch, the next
  // one's candidates are extracted in parallel (SQL stays on this thread). Only the
  // frequencies the ranking visits are looked up (the rounds above kTopicBatch), in key order.
  std::vector<TopicBatchWork> current, next;
  TopicLookupStats stats;
  // Stepping a finished statement would run it again: `more` stops the reading for good.
  bool more = true;
  auto read = [&works, &more](std::vector<TopicBatchWork>& into) {
    while (more && into.size() < kTopicBatch) {
      more = works.step();
      if (!more) break;
      auto& w = into.emplace_back();
      w.id = works.get_int(0);
      w.title = works.get_text(1);
      w.abstract = works.get_text(2);
      w.categories = works.get_text(3);
    }
  };
  auto write = [&](const TopicBatchWork& w) {
    // A full pass cleared every work's rows above.
    if (!full) clear.bind(1, w.id).run();
    for (const auto& c : topics::category_weights(split(w.categories, ' '))) {
      ins.bind(1, w.id).bind(2, c.id).bind(3, "category").bind(4, c.weight).run();
    }
    for (const auto& k : w.keyphrases) {
      ins.bind(1, w.id).bind(2, k.surface).bind(3, "keyphrase").bind(4, k.score).run();
    }
  };
  const auto started = std::chrono::steady_clock::now();
  std::int64_t scored = 0;
  read(current);
  prepare_topic_batch(current, n_docs);
  while (!current.empty()) {
    scored += static_cast<std::int64_t>(current.size());
    read(next);
    tbb::task_group extracting;
    extracting.run([&next, n_docs] { prepare_topic_batch(next, n_docs); });
    try {
      rank_topic_batch(current, df, n_docs, stats);
      for (const auto& w : current) write(w);
    } catch (...) {
      extracting.wait();
      throw;
    }
    extracting.wait();
    current = std::move(next);
    next.clear();
  }
  spdlog::debug(
      "topics: {} frequencies looked up for the ranking, {} works needed a second lookup, {} a "
      "point lookup",
      stats.keys, stats.second_round, stats.point);
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
