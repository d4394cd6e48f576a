// bzpeer — Store internals shared by the store's .cpp files and index/queries.
#pragma once

#include <filesystem>

#include "index/store/sqlite.hpp"
#include "index/store/store.hpp"

namespace bzpeer::store {

struct Store::Impl {
  std::filesystem::path path;
  Connection db;
  Impl(std::filesystem::path p, bool read_only)
      : path(std::move(p)), db(path.string(), read_only) {}
};

/// Creates or migrates the schema. Throws SqliteError.
void ensure_schema(Connection& db);

/// Recomputes collaborations, work counts and topics of the authors in pending_authors.
/// Runs inside the caller's transaction. Throws SqliteError.
void recompute_author_rollups(Connection& db, ConsolidationStats& stats);

/// Identity resolution (work_resolver.cpp): the existing work an incoming record belongs
/// to, or 0 for a new work. Tier 1: the arXiv id, then arXiv DOIs and DOIs, each DOI link
/// confirmed by dedupe::match (a rejected link is recorded in work_flags, not merged).
/// Tier 2: works with the same title fingerprint (work_keys), confirmed by dedupe::match
/// (authors, year, venue). Different arXiv ids are never merged. Throws SqliteError.
[[nodiscard]] std::int64_t resolve_work(Connection& db, const Work& work);

/// Records the title fingerprint of a stored work in work_keys (kept across retitles).
/// Throws SqliteError.
void write_work_keys(Connection& db, std::int64_t work_id, const Work& work);

/// Topics (topic_store.cpp). ensure_topic_schema adds the topic columns to stores made
/// before them. update_phrase_df runs just before a work's row is written (work_id 0 for
/// a new work): the document frequencies move from the stored text to `work`'s.
/// forget_phrase_df runs when a work becomes a tombstone. refresh_work_topics (during
/// consolidation) rescores the works in pending_index, or every work when the corpus
/// changed size materially. All throw SqliteError.
void ensure_topic_schema(Connection& db);
void update_phrase_df(Connection& db, std::int64_t work_id, const Work& work);
void forget_phrase_df(Connection& db, std::int64_t work_id);
void refresh_work_topics(Connection& db);

/// Fills IndexDocument::topics from the work's categories (their names: "Earth and
/// Planetary Astrophysics") and its top keyphrases, so `topic:` queries find them.
class IndexTopics {
 public:
  explicit IndexTopics(Connection& db);
  void fill(search::IndexDocument& doc);

 private:
  Statement keyphrases_;
};

/// Joins strings with a separator (store columns keep lists as space/tab separated text).
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep);
[[nodiscard]] std::vector<std::string> split(std::string_view text, char sep);

}  // namespace bzpeer::store
