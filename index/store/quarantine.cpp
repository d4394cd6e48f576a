// bzpeer — repairing the quarantine: listing it with attempt counts, keeping records that
// fail again, releasing records that map now (`bzpeer quarantine list|retry`).
//
// Attempt counts live beside the quarantine in quarantine_retries, made on the first
// retry. A row there counts for the quarantine entry only while the entry's `at` is the
// one the retry wrote: a harvest that quarantines the record anew writes a new `at`, and
// the count starts again at 1 (the harvest's own attempt).
#include <ctime>
#include <map>
#include <optional>
#include <tuple>

#include "index/store/store.hpp"
#include "index/store/store_impl.hpp"

namespace bzpeer::store {
namespace {

constexpr const char* kRetriesTable = R"sql(
CREATE TABLE IF NOT EXISTS quarantine_retries(
  source TEXT NOT NULL, source_id TEXT NOT NULL, format TEXT NOT NULL,
  attempts INTEGER NOT NULL, first_at TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY(source, source_id, format)) WITHOUT ROWID;
)sql";

bool has_retries_table(Connection& db) {
  auto q =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='quarantine_retries'");
  return q.step();
}

}  // namespace

Result<std::vector<QuarantinedRecord>> Store::quarantined(const std::string& source) {
  auto& db = impl_->db;
  try {
    const bool retries = has_retries_table(db);
    std::string sql = "SELECT q.source, q.source_id, q.format, q.error, q.at, q.payload, ";
    sql += retries ? "r.attempts, r.first_at FROM quarantine q LEFT JOIN quarantine_retries r "
                     "ON r.source=q.source AND r.source_id=q.source_id AND r.format=q.format "
                     "AND r.at=q.at "
                   : "NULL, NULL FROM quarantine q ";
    sql += "WHERE (?1='' OR q.source=?1) ORDER BY q.source, q.at, q.source_id";
    auto q = db.prepare(sql);
    q.bind(1, source);
    std::vector<QuarantinedRecord> out;
    while (q.step()) {
      QuarantinedRecord r;
      r.source = q.get_text(0);
      r.source_id = q.get_text(1);
      r.format = q.get_text(2);
      r.error = q.get_text(3);
      r.last_attempt_at = q.get_text(4);
      r.payload = q.get_text(5);
      if (!q.is_null(6)) {
        r.attempts = q.get_int(6);
        r.quarantined_at = q.get_text(7);
      } else {
        r.quarantined_at = r.last_attempt_at;
      }
      out.push_back(std::move(r));
    }
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading the quarantine"));
  }
}

Result<void> Store::requarantine(const QuarantinedRecord& record, const std::string& error) {
  auto& db = impl_->db;
  try {
    db.exec(kRetriesTable);
    Transaction tx(db);
    const std::string at = utc_now_iso();
    db.prepare("UPDATE quarantine SET error=?, at=? WHERE source=? AND source_id=? AND format=?")
        .bind(1, error)
        .bind(2, at)
        .bind(3, record.source)
        .bind(4, record.source_id)
        .bind(5, record.format)
        .run();
    if (db.changes() != 1) {
      return fail(ErrorCode::not_found, "record " + record.source_id + " of " + record.source +
                                            " is no longer in the quarantine");
    }
    db.prepare(
          "INSERT OR REPLACE INTO quarantine_retries(source, source_id, format, attempts, "
          "first_at, at) VALUES(?,?,?,?,?,?)")
        .bind(1, record.source)
        .bind(2, record.source_id)
        .bind(3, record.format)
        .bind(4, record.attempts + 1)
        .bind(5, record.quarantined_at)
        .bind(6, at)
        .run();
    tx.commit();
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "keeping " + record.source_id + " in the quarantine"));
  }
}

Result<PageCounts> Store::release_quarantined(const std::vector<MappedRecord>& records) {
  // One "page" per (source, format): apply_page stores records with the checkpoint that
  // follows them, so it gets the checkpoint the source already has. The quarantine only
  // holds records of pages that were stored, so that checkpoint exists.
  std::map<std::pair<std::string, std::string>, std::vector<MappedRecord>> pages;
  for (const auto& r : records) pages[{r.record.source, r.record.format}].push_back(r);
  PageCounts total;
  for (const auto& [key, page] : pages) {
    const auto& [source, format] = key;
    std::optional<Checkpoint> checkpoint;
    try {
      auto q = impl_->db.prepare(
          "SELECT set_spec FROM checkpoints WHERE source=? AND format=? ORDER BY set_spec LIMIT 1");
      q.bind(1, source).bind(2, format);
      if (q.step()) {
        auto cp = this->checkpoint(source, q.get_text(0), format);
        if (!cp) return std::unexpected(cp.error());
        checkpoint = *cp;
      }
    } catch (const SqliteError& e) {
      return std::unexpected(to_error(e, "reading the checkpoint of " + source));
    }
    if (!checkpoint) {
      return fail(ErrorCode::not_found, "no checkpoint of source " + source + " (format " + format +
                                            ") to store retried records with");
    }
    auto counts = apply_page(page, *checkpoint);
    if (!counts) return std::unexpected(counts.error());
    total += *counts;
  }
  try {
    auto& db = impl_->db;
    if (has_retries_table(db)) {
      auto forget =
          db.prepare("DELETE FROM quarantine_retries WHERE source=? AND source_id=? AND format=?");
      for (const auto& r : records) {
        forget.bind(1, r.record.source).bind(2, r.record.source_id).bind(3, r.record.format).run();
      }
    }
  } catch (const SqliteError&) {
    // The records are stored and out of the quarantine; a leftover count is never read
    // (its `at` matches no quarantine entry).
  }
  return total;
}

}  // namespace bzpeer::store
