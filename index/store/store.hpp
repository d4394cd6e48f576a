// bzpeer — the store: SQLite holding source records, works, authors, authorships,
// the collaboration table, topics, harvest checkpoints and the quarantine.
//
// One writer: harvests, consolidation and rebuilds run in one process at a time (the
// caller holds the storage lock). Readers (search, profile, serve) open their own
// read-only Store; WAL mode lets them read while the writer commits.
//
// Durability contract: apply_page() writes a page's records *and* the checkpoint that
// follows them in one transaction, so a harvest killed at any instant resumes from the
// last committed page and the store holds exactly what an uninterrupted run would.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/search/index_document.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/source_record.hpp"
#include "pipeline/model/work.hpp"

namespace bzpeer::store {

inline constexpr int kStoreSchemaVersion = 3;

/// A harvested record with the outcome of mapping it. A mapping error sends the record
/// to the quarantine; the rest of the page is stored.
struct MappedRecord {
  SourceRecord record;
  Result<Work> work = std::unexpected(Error{ErrorCode::mapping, "not mapped"});
  /// The phrase_df keys of the work's title and abstract, when prepare_for_store computed
  /// them (on the mapping threads, off the store's single writer); else apply_page does.
  std::optional<std::vector<std::string>> df_keys;
};

/// The part of storing a mapped record that needs no store: the keys its text counts
/// for in phrase_df. Thread-safe; a harvest calls it for a page's records in parallel.
void prepare_for_store(MappedRecord& record);

/// Where a harvest of one (source, set, format) stands.
struct Checkpoint {
  std::string source;
  std::string set_spec;  ///< "" = no set
  std::string format;
  std::string window_from;      ///< `from` of the window being harvested ("" = from the start)
  std::string window_until;     ///< `until` of that window ("" = open)
  std::string token;            ///< resumption token to continue with ("" = start the window)
  std::string token_expires;    ///< expirationDate of the token, if the server sent one
  std::string harvested_until;  ///< date up to which a window was completed ("" = never)
  std::string max_datestamp;    ///< newest datestamp stored in the current window
  std::int64_t pages = 0;       ///< pages committed in the current window
};

struct PageCounts {
  std::int64_t seen = 0, added = 0, updated = 0, unchanged = 0, deleted = 0, quarantined = 0;
  PageCounts& operator+=(const PageCounts& o) {
    seen += o.seen, added += o.added, updated += o.updated, unchanged += o.unchanged;
    deleted += o.deleted, quarantined += o.quarantined;
    return *this;
  }
};

struct ConsolidationStats {
  std::int64_t blocks = 0, mentions = 0, authors_created = 0, authors_removed = 0,
               collaborations = 0, works_reindexed = 0;
};

struct QuarantineEntry {
  std::string source, source_id, format, error, at;
};

/// A quarantined record as `bzpeer quarantine` lists and retries it (quarantine.cpp).
struct QuarantinedRecord {
  std::string source, source_id, format;
  std::string error;            ///< why the last mapping failed
  std::string quarantined_at;   ///< when this entry went to the quarantine
  std::string last_attempt_at;  ///< when its mapping last failed
  std::int64_t attempts = 1;    ///< failed mappings: the harvest's, then one per retry
  std::string payload;          ///< the record as the source sent it
};

struct StoreStats {
  std::int64_t works = 0, withdrawn = 0, authors = 0, authorships = 0, collaborations = 0,
               source_records = 0, deleted_records = 0, quarantined = 0, pending_index = 0;
  std::vector<Checkpoint> checkpoints;
};

enum class OpenMode { read_write, read_only };

class Store {
 public:
  /// Opens `<dir>/store.sqlite`, creating the directory and schema in read_write mode.
  /// Errors name the path (a missing or read-only directory gives ErrorCode::io).
  [[nodiscard]] static Result<Store> open(const std::filesystem::path& dir, OpenMode mode);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // --- harvesting -------------------------------------------------------------------
  [[nodiscard]] Result<std::optional<Checkpoint>> checkpoint(const std::string& source,
                                                             const std::string& set_spec,
                                                             const std::string& format);
  /// Stores a page's records and `next` in one transaction. Idempotent: replaying a page
  /// whose records are unchanged counts them as unchanged and changes nothing else.
  [[nodiscard]] Result<PageCounts> apply_page(const std::vector<MappedRecord>& records,
                                              const Checkpoint& next);
  [[nodiscard]] Result<void> save_checkpoint(const Checkpoint& checkpoint);
  [[nodiscard]] Result<void> record_run(const std::string& source, const std::string& summary_json);

  // --- consolidation ----------------------------------------------------------------
  /// Re-clusters the author name blocks that got new or changed mentions, keeps author
  /// ids stable (a cluster keeps the id of the earlier cluster it overlaps most), and
  /// recomputes collaboration rows and topic counts of the authors involved.
  [[nodiscard]] Result<ConsolidationStats> consolidate();

  // --- feeding the index --------------------------------------------------------------
  /// Calls `fn` for each work whose index document is out of date (or, with `all`, for
  /// every live work); `removed` lists works to delete from the index.
  [[nodiscard]] Result<void> for_each_index_document(
      bool all, const std::function<void(const search::IndexDocument&)>& fn,
      std::vector<std::int64_t>* removed);
  /// Marks the pending works as indexed (after the index committed them).
  [[nodiscard]] Result<void> clear_pending_index();

  // --- reading -------------------------------------------------------------------------
  [[nodiscard]] Result<StoreStats> stats();
  [[nodiscard]] Result<std::vector<QuarantineEntry>> quarantine();

  // --- repairing the quarantine (quarantine.cpp; the caller holds the storage lock) -----
  /// The quarantine with attempt counts and payloads, oldest first; `source` "" = all.
  [[nodiscard]] Result<std::vector<QuarantinedRecord>> quarantined(const std::string& source);
  /// A retry failed again: keeps the record with the new reason and one more attempt.
  [[nodiscard]] Result<void> requarantine(const QuarantinedRecord& record,
                                          const std::string& error);
  /// Records that map now: stored like a harvested page (apply_page, with the source's
  /// checkpoint written back unchanged), which also takes them out of the quarantine.
  [[nodiscard]] Result<PageCounts> release_quarantined(const std::vector<MappedRecord>& records);

  /// Low-level read access for the query layer (index/queries). Not for other modules.
  struct Impl;
  [[nodiscard]] Impl& impl() { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  /// Writes what the store still buffers (phrase_df changes) and closes it.
  void close() noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::store
