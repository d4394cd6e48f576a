// bzpeer — a consistent copy of the store while it is in use (SQLite's online backup).
#pragma once

#include <cstdint>
#include <filesystem>

#include "pipeline/model/error.hpp"

namespace bzpeer::store {

struct StoreBackupStats {
  std::int64_t pages = 0;       ///< database pages copied
  std::int64_t page_size = 0;   ///< bytes per page
  std::int64_t steps = 0;       ///< sqlite3_backup_step calls
  std::int64_t busy_waits = 0;  ///< steps that found the source busy and waited
  std::int64_t works = 0;       ///< rows of `works` in the copy, for the manifest
  std::int64_t authors = 0;     ///< rows of `authors` in the copy
};

/// Copies `<storage_dir>/store.sqlite` to `dest_file` with SQLite's online backup API,
/// `pages_per_step` pages at a time, while harvests keep writing.
///
/// The copy is one consistent snapshot: the source connection holds a read transaction
/// for the whole copy (the store is in WAL mode, so writers go on and only the WAL
/// checkpoint waits), so the backup never restarts and never mixes two revisions. The copy
/// is written to `dest_file` + ".partial", checked with `PRAGMA quick_check`, switched
/// to rollback-journal mode (a standalone file, no -wal beside it), synced and renamed;
/// an existing `dest_file` is an error. Errors name the file (ErrorCode::io for a
/// destination that cannot be written, ErrorCode::not_found when there is no store).
[[nodiscard]] Result<StoreBackupStats> backup_store(const std::filesystem::path& storage_dir,
                                                    const std::filesystem::path& dest_file,
                                                    int pages_per_step = 256);

}  // namespace bzpeer::store
