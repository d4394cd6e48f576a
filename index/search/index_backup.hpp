// bzpeer — a consistent copy of the current index build while it is in use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "pipeline/model/error.hpp"

namespace bzpeer::search {

struct IndexBackupStats {
  std::string build;            ///< the build copied, e.g. "b-20260127T101500.000001Z-42"
  std::uint64_t documents = 0;  ///< documents in the copy
  std::uint64_t bytes = 0;      ///< size of the copied build on disk
  int attempts = 0;             ///< 1 unless writers or a rebuild forced a retry
};

/// Copies the build that `<index_root>/current` names into `dest_root`, which becomes a
/// complete index root of its own (`builds/<same name>/` and a `current` stub): point a
/// storage directory's `index/` at it and readers use it as is.
///
/// No lock is needed. Harvests add documents to the current build while this runs, so
/// the copy is made with Xapian's compaction from one open revision (document ids kept):
/// one consistent snapshot. When a commit discards that revision mid-copy
/// (DatabaseModifiedError), or a rebuild swaps builds and prunes the old one, it starts
/// again with what `current` names then (at most 5 attempts). The copy's document count
/// and schema version are checked before its stub is written. Errors name the paths
/// (ErrorCode::not_found when there is no index, index or io otherwise).
[[nodiscard]] Result<IndexBackupStats> backup_index(const std::filesystem::path& index_root,
                                                    const std::filesystem::path& dest_root);

}  // namespace bzpeer::search
