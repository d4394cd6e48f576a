// bzpeer — the store's online backup (see store_backup.hpp).
#include "index/store/store_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include "index/store/sqlite.hpp"

namespace bzpeer::store {
namespace {

namespace fs = std::filesystem;

std::int64_t count_rows(Connection& db, const char* sql) {
  auto q = db.prepare(sql);
  return q.step() ? q.get_int(0) : 0;
}

/// fsync of a file or directory; false when it cannot be opened or synced.
bool sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

/// Runs the backup from `source` into `dest` in steps of `pages_per_step` pages.
std::optional<Error> copy_pages(Connection& source, Connection& dest, int pages_per_step,
                                StoreBackupStats& stats) {
  sqlite3_backup* backup = sqlite3_backup_init(dest.handle(), "main", source.handle(), "main");
  if (backup == nullptr) return Error{ErrorCode::storage, sqlite3_errmsg(dest.handle())};
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, pages_per_step > 0 ? pages_per_step : -1);
    ++stats.steps;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      ++stats.busy_waits;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  stats.pages = sqlite3_backup_pagecount(backup);
  const int finished = sqlite3_backup_finish(backup);
  if (rc == SQLITE_DONE && finished == SQLITE_OK) return std::nullopt;
  const int code = rc != SQLITE_DONE ? rc : finished;
  const auto primary = code & 0xff;
  return Error{primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
                       primary == SQLITE_READONLY
                   ? ErrorCode::io
                   : ErrorCode::storage,
               sqlite3_errstr(code)};
}

}  // namespace

Result<StoreBackupStats> backup_store(const fs::path& storage_dir, const fs::path& dest_file,
                                      int pages_per_step) {
  const fs::path source_file = storage_dir / "store.sqlite";
  const fs::path partial = dest_file.string() + ".partial";
  std::error_code ec;
  if (!fs::exists(source_file, ec)) {
    return fail(ErrorCode::not_found, "no store at " + source_file.string());
  }
  if (fs::exists(dest_file, ec)) {
    return fail(ErrorCode::io, "backup target " + dest_file.string() + " already exists");
  }
  fs::remove(partial, ec);
  StoreBackupStats stats;
  std::optional<Error> failure;
  try {
    Connection source(source_file.string(), true);
    // Pin one snapshot: every step of the copy reads inside this read transaction.
    source.exec("BEGIN");
    (void)count_rows(source, "SELECT count(*) FROM sqlite_schema");
    {
      Connection dest(partial.string(), false);
      failure = copy_pages(source, dest, pages_per_step, stats);
      if (failure) {
        failure->message = "backup of " + source_file.string() + " into " + partial.string() +
                           " failed: " + failure->message;
      } else {
        auto check = dest.prepare("PRAGMA quick_check");
        const std::string verdict = check.step() ? check.get_text(0) : std::string("no answer");
        if (verdict != "ok") {
          failure = Error{ErrorCode::storage, "the copy " + partial.string() +
                                                  " fails SQLite's quick_check: " + verdict};
        }
      }
      if (!failure) {
        dest.exec("PRAGMA journal_mode=DELETE");
        stats.page_size = count_rows(dest, "PRAGMA page_size");
        stats.works = count_rows(dest, "SELECT count(*) FROM works");
        stats.authors = count_rows(dest, "SELECT count(*) FROM authors");
      }
    }  // the copy is closed here
    source.exec("COMMIT");
  } catch (const SqliteError& e) {
    failure = to_error(e, "backing up " + source_file.string() + " into " + partial.string());
  }
  if (failure) {
    fs::remove(partial, ec);
    return std::unexpected(std::move(*failure));
  }
  if (!sync_path(partial, false)) {
    fs::remove(partial, ec);
    return fail(ErrorCode::io, "cannot sync " + partial.string());
  }
  fs::rename(partial, dest_file, ec);
  if (ec) {
    fs::remove(partial, ec);
    return fail(ErrorCode::io, "cannot rename " + partial.string() + ": " + ec.message());
  }
  sync_path(dest_file.parent_path().empty() ? fs::path(".") : dest_file.parent_path(), true);
  return stats;
}

}  // namespace bzpeer::store
