// bzpeer — the store's schema. Bump kStoreSchemaVersion and add a migration step when
// it changes; never edit a released step.
#include <iterator>
#include <string>

#include "index/store/store_impl.hpp"

namespace bzpeer::store {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- What each source said, verbatim, for replay and re-mapping.
CREATE TABLE IF NOT EXISTS source_records(
  source TEXT NOT NULL, source_id TEXT NOT NULL, format TEXT NOT NULL,
  datestamp TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, sets TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL, content_hash TEXT NOT NULL, work_id INTEGER,
  PRIMARY KEY(source, source_id, format)) WITHOUT ROWID;

-- Works keep their id for ever; a work whose every source record is deleted is a
-- tombstone (deleted = 1) so old links can still answer.
CREATE TABLE IF NOT EXISTS works(
  work_id INTEGER PRIMARY KEY,
  arxiv_id TEXT, title TEXT NOT NULL, abstract TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL, venue TEXT NOT NULL DEFAULT '', journal_ref TEXT NOT NULL DEFAULT '',
  comments TEXT NOT NULL DEFAULT '', license TEXT NOT NULL DEFAULT '',
  first_date TEXT NOT NULL DEFAULT '', last_date TEXT NOT NULL DEFAULT '',
  pub_date TEXT NOT NULL DEFAULT '', year INTEGER NOT NULL DEFAULT 0,
  categories TEXT NOT NULL DEFAULT '', versions INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS works_year ON works(year);

-- External identifiers -> work (scheme: arxiv, doi).
CREATE TABLE IF NOT EXISTS work_ids(
  scheme TEXT NOT NULL, value TEXT NOT NULL, work_id INTEGER NOT NULL,
  PRIMARY KEY(scheme, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS work_ids_work ON work_ids(work_id);

-- One row per author mention; author_id is filled by consolidation.
CREATE TABLE IF NOT EXISTS authorships(
  work_id INTEGER NOT NULL, source TEXT NOT NULL, position INTEGER NOT NULL,
  printed TEXT NOT NULL, given TEXT NOT NULL, family TEXT NOT NULL, suffix TEXT NOT NULL,
  affiliation TEXT NOT NULL, orcid TEXT NOT NULL, is_collaboration INTEGER NOT NULL,
  block_key TEXT NOT NULL, author_id INTEGER,
  PRIMARY KEY(work_id, source, position)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS authorships_block ON authorships(block_key);
CREATE INDEX IF NOT EXISTS authorships_author ON authorships(author_id);

CREATE TABLE IF NOT EXISTS authors(
  author_id INTEGER PRIMARY KEY, block_key TEXT NOT NULL, name TEXT NOT NULL,
  given TEXT NOT NULL, family TEXT NOT NULL, orcid TEXT NOT NULL DEFAULT '',
  works INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS authors_block ON authors(block_key);
CREATE TABLE IF NOT EXISTS author_variants(
  author_id INTEGER NOT NULL, variant TEXT NOT NULL, mentions INTEGER NOT NULL,
  PRIMARY KEY(author_id, variant)) WITHOUT ROWID;
-- An id that disappeared in a re-clustering points at the cluster that took its mentions.
CREATE TABLE IF NOT EXISTS author_redirects(
  old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL);

-- Collaboration table: a < b, shared works and the years they span.
CREATE TABLE IF NOT EXISTS collaborations(
  a INTEGER NOT NULL, b INTEGER NOT NULL, works INTEGER NOT NULL,
  first_year INTEGER NOT NULL, last_year INTEGER NOT NULL,
  PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS collaborations_b ON collaborations(b);

-- Topic profile of an author: arXiv categories (kind 'category', label = the category's
-- name) and keyphrases (kind 'keyphrase'); weight = share within the kind.
CREATE TABLE IF NOT EXISTS author_topics(
  author_id INTEGER NOT NULL, topic TEXT NOT NULL, works INTEGER NOT NULL,
  weight REAL NOT NULL, kind TEXT NOT NULL DEFAULT 'category', label TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(author_id, topic)) WITHOUT ROWID;

-- Topics of each work (topic_store.cpp): kind 'category' (canonical arXiv category,
-- score 1 primary / 0.5 cross-list), 'keyphrase' (TF-IDF score) or 'openalex'.
CREATE TABLE IF NOT EXISTS work_topics(
  work_id INTEGER NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL, score REAL NOT NULL,
  PRIMARY KEY(work_id, kind, topic)) WITHOUT ROWID;
-- Keyphrase document frequencies over the live works; stem '' holds the number of works.
CREATE TABLE IF NOT EXISTS phrase_df(stem TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checkpoints(
  source TEXT NOT NULL, set_spec TEXT NOT NULL, format TEXT NOT NULL,
  window_from TEXT NOT NULL, window_until TEXT NOT NULL, token TEXT NOT NULL,
  token_expires TEXT NOT NULL, harvested_until TEXT NOT NULL, max_datestamp TEXT NOT NULL,
  pages INTEGER NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY(source, set_spec, format)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quarantine(
  source TEXT NOT NULL, source_id TEXT NOT NULL, format TEXT NOT NULL,
  error TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY(source, source_id, format)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS runs(
  run_id INTEGER PRIMARY KEY, source TEXT NOT NULL, finished_at TEXT NOT NULL,
  summary TEXT NOT NULL);

-- Work to do for consolidation and indexing; drained after each step commits.
CREATE TABLE IF NOT EXISTS pending_blocks(block_key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_authors(author_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS pending_index(work_id INTEGER PRIMARY KEY);

-- Work identity (work_resolver.cpp): title fingerprints for the fuzzy lookup, and shared
-- identifiers that the matcher refused to merge (kept for review, never merged).
CREATE TABLE IF NOT EXISTS work_keys(
  fingerprint TEXT NOT NULL, work_id INTEGER NOT NULL,
  PRIMARY KEY(fingerprint, work_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS work_keys_work ON work_keys(work_id);
CREATE TABLE IF NOT EXISTS work_flags(
  work_id INTEGER NOT NULL, identifier TEXT NOT NULL, title TEXT NOT NULL,
  reason TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY(work_id, identifier, title)) WITHOUT ROWID;

-- Per-field provenance (work_upsert.cpp): the source record that supplied each field of
-- a work (title, abstract, venue, type, dates, doi, ...), kept up to date on every merge.
CREATE TABLE IF NOT EXISTS work_field_sources(
  work_id INTEGER NOT NULL, field TEXT NOT NULL, source TEXT NOT NULL,
  source_id TEXT NOT NULL, format TEXT NOT NULL,
  PRIMARY KEY(work_id, field)) WITHOUT ROWID;
-- Why each source record sits in its work (work_resolver.cpp): evidence 'new' (it made
-- the work), 'arxiv_id' or 'doi' (with the shared identifier), 'fingerprint' (with the
-- title similarity and author overlap the matcher saw), and the matcher's reason. Moving
-- a record out of its work undoes exactly that merge.
CREATE TABLE IF NOT EXISTS work_merges(
  source TEXT NOT NULL, source_id TEXT NOT NULL, format TEXT NOT NULL,
  work_id INTEGER NOT NULL, evidence TEXT NOT NULL, identifier TEXT NOT NULL,
  similarity REAL NOT NULL, author_overlap REAL NOT NULL, reason TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY(source, source_id, format)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS work_merges_work ON work_merges(work_id);

-- OpenAlex topics (topic_store.cpp): every topic seen, with its place in the OpenAlex
-- hierarchy (topic < subfield < field < domain), and the topics each source record
-- assigned with the source's score. A work's 'openalex' rows in work_topics are the best
-- score per topic over the live records in the work; source_records_work finds them.
CREATE TABLE IF NOT EXISTS openalex_topics(
  topic_id TEXT PRIMARY KEY, label TEXT NOT NULL, subfield TEXT NOT NULL,
  field TEXT NOT NULL, domain TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_topics(
  source TEXT NOT NULL, source_id TEXT NOT NULL, format TEXT NOT NULL,
  topic_id TEXT NOT NULL, score REAL NOT NULL,
  PRIMARY KEY(source, source_id, format, topic_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS source_records_work ON source_records(work_id);
)sql";

// Version 2: manual author overrides (`bzpeer author merge|split`, author_overrides.cpp).
// An override names mentions by work, source, position and the name as printed then
// (given, family); consolidation finds them again after a re-harvest by work, source and
// name block (the block key is derived from given and family, so it follows changes of
// normalise::name_block_key). A merge's mentions are one person (side 0 were A's, side 1
// B's, so that removing the merge gives B its mentions back); a split's split-off mentions
// are side 1 (one person), the rest of the author side 0 (never linked with side 1).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS author_overrides(
  override_id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK(kind IN ('merge', 'split')),
  author_id INTEGER NOT NULL, other_id INTEGER NOT NULL, works TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS author_override_mentions(
  override_id INTEGER NOT NULL, work_id INTEGER NOT NULL, source TEXT NOT NULL,
  position INTEGER NOT NULL, given TEXT NOT NULL, family TEXT NOT NULL, side INTEGER NOT NULL,
  PRIMARY KEY(override_id, work_id, source, position)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS author_override_mentions_work
  ON author_override_mentions(work_id, source);
)sql";

/// One step of the schema: brings a store at version `to - 1` to version `to`. Steps run
/// in order, each in the opening transaction; never edit a released step, add one.
struct Migration {
  int to;
  void (*apply)(Connection& db);
};

constexpr Migration kMigrations[] = {
    {2, [](Connection& db) { db.exec(kSchemaV2); }},
    // Version 3: name block keys fold German transliterations ("mueller" = "muller") and
    // drop leading particles ("de oliveira" = "oliveira"): the stored keys are recomputed
    // and the blocks that met are re-clustered by the next consolidation.
    {3, [](Connection& db) { (void)recompute_block_keys(db); }},
};
static_assert(std::size(kMigrations) > 0 &&
                  kMigrations[std::size(kMigrations) - 1].to == kStoreSchemaVersion,
              "kStoreSchemaVersion must be the last migration's version");

}  // namespace

void ensure_schema(Connection& db) {
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=NORMAL");
  // The writer's page cache (64 MiB; SQLite's default is 2 MiB) holds a harvest page's and
  // a consolidation's working set, so dirty pages are not spilled to the WAL mid-transaction
  // and written again; checkpoints every 10,000 WAL pages (40 MiB) rather than 1,000 write a
  // page rewritten by many small transactions back to the database once. Neither weakens
  // durability (WAL, synchronous=NORMAL).
  db.exec("PRAGMA cache_size=-65536");
  db.exec("PRAGMA wal_autocheckpoint=10000");
  db.exec("PRAGMA foreign_keys=OFF");
  Transaction tx(db);
  db.exec(kSchemaV1);
  ensure_topic_schema(db);
  // A new store starts at version 1 (the tables above) and takes every step.
  int version = 1;
  {
    auto get = db.prepare("SELECT value FROM meta WHERE key='schema_version'");
    if (get.step()) version = std::stoi(get.get_text(0));
  }
  if (version > kStoreSchemaVersion) {
    throw SqliteError{SQLITE_MISMATCH, "store schema version " + std::to_string(version) +
                                           " is newer than this bzpeer understands (" +
                                           std::to_string(kStoreSchemaVersion) + ")"};
  }
  for (const auto& step : kMigrations) {
    if (step.to > version) step.apply(db), version = step.to;
  }
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)")
      .bind(1, std::to_string(version))
      .run();
  tx.commit();
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace bzpeer::store
