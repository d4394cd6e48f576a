// bzpeer — Store: opening, harvest pages, checkpoints, stats, quarantine, index feed.
#include "index/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <system_error>

#include <spdlog/spdlog.h>

#include "index/store/store_impl.hpp"
#include "index/store/work_upsert.hpp"
#include "pipeline/normalise/names.hpp"

namespace bzpeer::store {
namespace {

/// FNV-1a 64: a stable fingerprint of what a source said (payload + deleted flag), so
/// an unchanged record on replay or overlap is recognised without comparing payloads.
std::string content_hash(const SourceRecord& r) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(r.deleted ? "D" : "L");
  mix(r.payload);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void mark_pending_for_work(Connection& db, std::int64_t work_id, const std::string& source) {
  db.cached(
        "INSERT OR IGNORE INTO pending_blocks(block_key) "
        "SELECT DISTINCT block_key FROM authorships WHERE work_id=? AND source=? "
        "AND is_collaboration=0")
      ->bind(1, work_id)
      .bind(2, source)
      .run();
  db.cached(
        "INSERT OR IGNORE INTO pending_authors(author_id) "
        "SELECT DISTINCT author_id FROM authorships WHERE work_id=? AND author_id IS NOT NULL")
      ->bind(1, work_id)
      .run();
}

/// A deleted source record leaves its work. Its source's author list goes only when no
/// other live record of the same source (another format, or another record the source
/// holds for the same work) remains in the work: authorships are kept per (work, source),
/// so deleting them by source alone would strip the authors a live record still gives.
void remove_source_from_work(Connection& db, std::int64_t work_id, const SourceRecord& record,
                             PhraseDfDeltas& df_deltas) {
  auto same_source = db.prepare(
      "SELECT COUNT(*) FROM source_records WHERE work_id=? AND source=? AND deleted=0 "
      "AND NOT (source_id=? AND format=?)");
  same_source.bind(1, work_id)
      .bind(2, record.source)
      .bind(3, record.source_id)
      .bind(4, record.format);
  same_source.step();
  if (same_source.get_int(0) == 0) {
    mark_pending_for_work(db, work_id, record.source);
    db.prepare("DELETE FROM authorships WHERE work_id=? AND source=?")
        .bind(1, work_id)
        .bind(2, record.source)
        .run();
  }
  auto live = db.prepare("SELECT COUNT(*) FROM source_records WHERE work_id=? AND deleted=0");
  live.bind(1, work_id);
  live.step();
  if (live.get_int(0) == 0) {
    forget_phrase_df(db, work_id, df_deltas);
    db.prepare("UPDATE works SET deleted=1 WHERE work_id=?").bind(1, work_id).run();
  }
  db.prepare("INSERT OR IGNORE INTO pending_index(work_id) VALUES(?)").bind(1, work_id).run();
}

void write_identifiers(Connection& db, std::int64_t work_id, const Work& w) {
  auto held_ins = db.cached("INSERT OR IGNORE INTO work_ids(scheme, value, work_id) VALUES(?,?,?)");
  auto& ins = *held_ins;
  if (!w.arxiv_id.empty()) ins.bind(1, "arxiv").bind(2, w.arxiv_id).bind(3, work_id).run();
  for (const auto& doi : w.dois) ins.bind(1, "doi").bind(2, doi).bind(3, work_id).run();
  write_work_keys(db, work_id, w);
}

void write_authorships(Connection& db, std::int64_t work_id, const std::string& source,
                       const Work& w) {
  mark_pending_for_work(db, work_id, source);
  // The rewritten mentions keep their author ids (matched by name block and given name,
  // else by name block, in order), so consolidation knows where each one was and a
  // re-harvested record does not cost its authors their ids.
  struct Previous {
    std::string block_key, given;
    std::int64_t author_id;
    bool taken = false;
  };
  std::vector<Previous> previous;
  {
    auto q = db.cached(
        "SELECT block_key, given, author_id FROM authorships WHERE work_id=? AND source=? "
        "AND author_id IS NOT NULL ORDER BY position");
    q->bind(1, work_id).bind(2, source);
    while (q->step()) previous.push_back({q->get_text(0), q->get_text(1), q->get_int(2)});
  }
  auto previous_id = [&](const std::string& key, const std::string& given) -> std::int64_t {
    for (const bool same_given : {true, false}) {
      for (auto& p : previous) {
        if (!p.taken && p.block_key == key && (!same_given || p.given == given)) {
          p.taken = true;
          return p.author_id;
        }
      }
    }
    return 0;
  };
  db.cached("DELETE FROM authorships WHERE work_id=? AND source=?")
      ->bind(1, work_id)
      .bind(2, source)
      .run();
  auto held_ins = db.cached(
      "INSERT OR REPLACE INTO authorships(work_id, source, position, printed, given, family, "
      "suffix, affiliation, orcid, is_collaboration, block_key, author_id) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  auto& ins = *held_ins;
  auto held_pending = db.cached("INSERT OR IGNORE INTO pending_blocks(block_key) VALUES(?)");
  auto& pending = *held_pending;
  for (const auto& a : w.authors) {
    std::string key =
        a.is_collaboration ? std::string() : normalise::name_block_key(a.given, a.family);
    ins.bind(1, work_id)
        .bind(2, source)
        .bind(3, a.position)
        .bind(4, a.printed)
        .bind(5, a.given)
        .bind(6, a.family)
        .bind(7, a.suffix)
        .bind(8, a.affiliation)
        .bind(9, a.orcid)
        .bind(10, a.is_collaboration ? 1 : 0)
        .bind(11, key);
    if (const auto id = key.empty() ? 0 : previous_id(key, a.given); id != 0) {
      ins.bind(12, id);
    } else {
      ins.bind_null(12);
    }
    ins.run();
    if (!key.empty()) pending.bind(1, key).run();
  }
}

void write_checkpoint(Connection& db, const Checkpoint& c) {
  db.prepare(
        "INSERT OR REPLACE INTO checkpoints(source, set_spec, format, window_from, window_until, "
        "token, token_expires, harvested_until, max_datestamp, pages, updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, c.source)
      .bind(2, c.set_spec)
      .bind(3, c.format)
      .bind(4, c.window_from)
      .bind(5, c.window_until)
      .bind(6, c.token)
      .bind(7, c.token_expires)
      .bind(8, c.harvested_until)
      .bind(9, c.max_datestamp)
      .bind(10, c.pages)
      .bind(11, utc_now_iso())
      .run();
}

Checkpoint read_checkpoint(Statement& q) {
  Checkpoint c;
  c.source = q.get_text(0);
  c.set_spec = q.get_text(1);
  c.format = q.get_text(2);
  c.window_from = q.get_text(3);
  c.window_until = q.get_text(4);
  c.token = q.get_text(5);
  c.token_expires = q.get_text(6);
  c.harvested_until = q.get_text(7);
  c.max_datestamp = q.get_text(8);
  c.pages = q.get_int(9);
  return c;
}

constexpr const char* kCheckpointColumns =
    "source, set_spec, format, window_from, window_until, token, token_expires, "
    "harvested_until, max_datestamp, pages";

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    close();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
Store::~Store() {
  close();
}

void Store::close() noexcept {
  if (!impl_) return;
  try {
    impl_->flush_phrase_df_buffer();
  } catch (const SqliteError&) {
    // The meta row stays: the next consolidation recounts phrase_df from the works.
  }
  impl_.reset();
}

Result<Store> Store::open(const std::filesystem::path& dir, OpenMode mode) {
  std::error_code ec;
  if (mode == OpenMode::read_write) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return fail(ErrorCode::io,
                  "cannot create storage directory " + dir.string() + ": " + ec.message());
    }
  } else if (!std::filesystem::exists(dir / "store.sqlite", ec)) {
    return fail(ErrorCode::not_found,
                "no store at " + (dir / "store.sqlite").string() + " (run `bzpeer harvest` first)");
  }
  try {
    auto impl = std::make_unique<Impl>(dir / "store.sqlite", mode == OpenMode::read_only);
    if (mode == OpenMode::read_write) {
      ensure_schema(impl->db);
      impl->phrase_df = PhraseDfBuffer::attach(impl->path, impl->db);
    } else {
      // SQLite opens the file at the first query, and a reader of a WAL store must be able
      // to create store.sqlite-shm (not in a read-only directory): fail here, naming the
      // file, rather than later with SQLite's bare "unable to open database file".
      (void)impl->db.prepare("SELECT 1 FROM sqlite_master LIMIT 1").step();
    }
    return Store(std::move(impl));
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "store " + (dir / "store.sqlite").string()));
  }
}

Result<std::optional<Checkpoint>> Store::checkpoint(const std::string& source,
                                                    const std::string& set_spec,
                                                    const std::string& format) {
  try {
    auto q = impl_->db.prepare(std::string("SELECT ") + kCheckpointColumns +
                               " FROM checkpoints WHERE source=? AND set_spec=? AND format=?");
    q.bind(1, source).bind(2, set_spec).bind(3, format);
    if (!q.step()) return std::optional<Checkpoint>();
    return std::optional<Checkpoint>(read_checkpoint(q));
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading checkpoint of " + source));
  }
}

Result<void> Store::save_checkpoint(const Checkpoint& checkpoint) {
  try {
    Transaction tx(impl_->db);
    write_checkpoint(impl_->db, checkpoint);
    tx.commit();
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "saving checkpoint of " + checkpoint.source));
  }
}

Result<PageCounts> Store::apply_page(const std::vector<MappedRecord>& records,
                                     const Checkpoint& next) {
  if (!impl_->phrase_df) return fail(ErrorCode::storage, read_only_message(*impl_));
  auto& db = impl_->db;
  PageCounts counts;
  try {
    Transaction tx(db);
    auto existing = db.prepare(
        "SELECT content_hash, work_id, deleted FROM source_records "
        "WHERE source=? AND source_id=? AND format=?");
    auto upsert_record = db.prepare(
        "INSERT OR REPLACE INTO source_records(source, source_id, format, datestamp, deleted, "
        "sets, payload, content_hash, work_id) VALUES(?,?,?,?,?,?,?,?,?)");
    auto quarantine = db.prepare(
        "INSERT OR REPLACE INTO quarantine(source, source_id, format, error, payload, at) "
        "VALUES(?,?,?,?,?,?)");
    auto unquarantine =
        db.prepare("DELETE FROM quarantine WHERE source=? AND source_id=? AND format=?");
    auto pending_index = db.prepare("INSERT OR IGNORE INTO pending_index(work_id) VALUES(?)");
    PhraseDfDeltas df_deltas;  // the page's document-frequency changes, written once

    for (const auto& mr : records) {
      const SourceRecord& r = mr.record;
      ++counts.seen;
      std::string hash = content_hash(r);
      existing.bind(1, r.source).bind(2, r.source_id).bind(3, r.format);
      bool had = existing.step();
      std::string old_hash = had ? existing.get_text(0) : std::string();
      std::int64_t old_work = had && !existing.is_null(1) ? existing.get_int(1) : 0;
      bool old_deleted = had && existing.get_int(2) != 0;
      existing.reset();
      if (had && old_hash == hash) {
        ++counts.unchanged;
        continue;
      }
      auto store_record = [&](std::int64_t work_id) {
        upsert_record.bind(1, r.source)
            .bind(2, r.source_id)
            .bind(3, r.format)
            .bind(4, r.datestamp)
            .bind(5, r.deleted ? 1 : 0)
            .bind(6, join(r.sets, " "))
            .bind(7, r.payload)
            .bind(8, hash);
        if (work_id != 0) {
          upsert_record.bind(9, work_id);
        } else {
          upsert_record.bind_null(9);
        }
        upsert_record.run();
      };

      if (r.deleted) {
        store_record(old_work);
        if (old_work != 0 && !old_deleted) remove_source_from_work(db, old_work, r, df_deltas);
        ++counts.deleted;
        continue;
      }
      if (!mr.work) {
        quarantine.bind(1, r.source)
            .bind(2, r.source_id)
            .bind(3, r.format)
            .bind(4, mr.work.error().message)
            .bind(5, r.payload)
            .bind(6, utc_now_iso())
            .run();
        ++counts.quarantined;
        continue;
      }
      unquarantine.bind(1, r.source).bind(2, r.source_id).bind(3, r.format).run();
      const Work& w = *mr.work;
      // The work this record belongs to: the one it is already in, else identifiers,
      // then the title fingerprint confirmed by the work matcher (work_resolver.cpp).
      WorkResolution why;
      if (old_work != 0) {
        why.work_id = old_work;
        why.evidence = "record";
        why.reason = "record already in this work";
      } else {
        why = resolve_work(db, w);
      }
      std::int64_t work_id = why.work_id;
      bool is_new_work = work_id == 0;
      const CountedText counted = counted_text(db, work_id);
      work_id = upsert_work(db, work_id, w, r);
      update_phrase_df(db, work_id, counted, mr, df_deltas);
      write_record_topics(db, r, w);
      write_identifiers(db, work_id, w);
      write_authorships(db, work_id, r.source, w);
      store_record(work_id);
      record_merge(db, r, work_id, why);
      pending_index.bind(1, work_id).run();
      if (is_new_work) {
        ++counts.added;
      } else {
        ++counts.updated;
      }
    }
    write_checkpoint(db, next);
    // The page's document-frequency changes wait in the buffer (see PhraseDfBuffer).
    const bool marked = impl_->phrase_df->add(db, df_deltas);
    try {
      tx.commit();
    } catch (const SqliteError&) {
      impl_->phrase_df->undo(df_deltas, marked);
      throw;
    }
    if (impl_->phrase_df->full()) {
      try {
        impl_->phrase_df->spill();
      } catch (const SqliteError& e) {
        // No room for a run: the changes go to phrase_df now instead.
        spdlog::warn("{}; writing the phrase frequencies to the store instead", e.message);
        try {
          impl_->flush_phrase_df_buffer();
        } catch (const SqliteError&) {
          // The page is committed; the changes stay buffered (and the meta row set) and go
          // with the next flush.
        }
      }
    }
    return counts;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "storing a page of " + next.source));
  }
}

Result<void> Store::record_run(const std::string& source, const std::string& summary_json) {
  try {
    impl_->db.prepare("INSERT INTO runs(source, finished_at, summary) VALUES(?,?,?)")
        .bind(1, source)
        .bind(2, utc_now_iso())
        .bind(3, summary_json)
        .run();
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "recording the run of " + source));
  }
}

Result<StoreStats> Store::stats() {
  try {
    auto& db = impl_->db;
    StoreStats s;
    auto count = [&db](const char* sql) {
      auto q = db.prepare(sql);
      q.step();
      return q.get_int(0);
    };
    s.works = count("SELECT COUNT(*) FROM works WHERE deleted=0");
    s.withdrawn = count("SELECT COUNT(*) FROM works WHERE deleted=0 AND withdrawn=1");
    s.authors = count("SELECT COUNT(*) FROM authors");
    s.authorships = count("SELECT COUNT(*) FROM authorships");
    s.collaborations = count("SELECT COUNT(*) FROM collaborations");
    s.source_records = count("SELECT COUNT(*) FROM source_records");
    s.deleted_records = count("SELECT COUNT(*) FROM source_records WHERE deleted=1");
    s.quarantined = count("SELECT COUNT(*) FROM quarantine");
    s.pending_index = count("SELECT COUNT(*) FROM pending_index");
    auto q = db.prepare(std::string("SELECT ") + kCheckpointColumns +
                        " FROM checkpoints ORDER BY source, set_spec, format");
    while (q.step()) s.checkpoints.push_back(read_checkpoint(q));
    return s;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading store statistics"));
  }
}

Result<std::vector<QuarantineEntry>> Store::quarantine() {
  try {
    std::vector<QuarantineEntry> out;
    auto q = impl_->db.prepare(
        "SELECT source, source_id, format, error, at FROM quarantine ORDER BY at, source_id");
    while (q.step()) {
      out.push_back({q.get_text(0), q.get_text(1), q.get_text(2), q.get_text(3), q.get_text(4)});
    }
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading the quarantine"));
  }
}

}  // namespace bzpeer::store
