// bzpeer — the on-disk layout of the search index and the helpers the writer, the reader
// and rebuild share: the stub file, build names, schema-version checks, error mapping.
//
//   <root>/current          Xapian stub file, one line: "auto builds/<name>"
//   <root>/previous         the same for the build `current` named before the last swap
//                           (rebuild or rollback); absent until the first rebuild
//   <root>/builds/<name>/   one Xapian (glass) database per build
//
// The stub path is relative, so Xapian resolves it against the stub's directory and the
// whole root can be moved or copied.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"

namespace bzpeer::search {

[[nodiscard]] std::filesystem::path stub_path(const std::filesystem::path& root);
[[nodiscard]] std::filesystem::path previous_stub_path(const std::filesystem::path& root);
[[nodiscard]] std::filesystem::path builds_dir(const std::filesystem::path& root);

/// The build `current` points at, as written in the stub ("builds/<name>"). not_found when
/// there is no stub; index when it is not a stub we wrote.
[[nodiscard]] Result<std::string> read_stub(const std::filesystem::path& root);

/// The build `previous` points at ("builds/<name>"), like read_stub. not_found when there
/// is no `previous` stub.
[[nodiscard]] Result<std::string> read_previous_stub(const std::filesystem::path& root);

/// The database directory for a stub target (relative targets resolve against `root`).
[[nodiscard]] std::filesystem::path resolve_target(const std::filesystem::path& root,
                                                   const std::string& target);

/// Points `current` at builds/<build_name> atomically: write a temp file, fsync, rename(),
/// fsync the directory. A reader sees the old stub or the new one, never a partial one.
[[nodiscard]] Result<void> write_stub(const std::filesystem::path& root,
                                      const std::string& build_name);

/// Points `previous` at builds/<build_name>, atomically like write_stub.
[[nodiscard]] Result<void> write_previous_stub(const std::filesystem::path& root,
                                               const std::string& build_name);

/// The build name in a stub target: "builds/b-…" -> "b-…".
[[nodiscard]] std::string build_name_of(const std::string& target);

/// A fresh build name, "b-<UTC timestamp with microseconds>-<pid>", not yet under builds/.
[[nodiscard]] std::string new_build_name(const std::filesystem::path& root);

/// Removes every build directory except the ones `current` and `previous` point at now
/// (and, when `current` cannot be read, removes nothing). Returns the names removed. Best effort: a
/// build that cannot be removed stays (and is retried by the next rebuild).
std::vector<std::string> prune_builds(const std::filesystem::path& root);

/// Stores kSchemaVersion in the database metadata (committed with the next commit()).
void set_schema_version(Xapian::WritableDatabase& db);

/// Refuses a database whose metadata does not hold kSchemaVersion (ErrorCode::index).
[[nodiscard]] Result<void> check_schema_version(const Xapian::Database& db,
                                                const std::filesystem::path& path);

/// Maps a Xapian exception to our Error: DatabaseLockError -> locked, anything else ->
/// index; the message names what we were doing and the path.
[[nodiscard]] Error xapian_error(const Xapian::Error& e, std::string_view doing,
                                 const std::filesystem::path& path);

}  // namespace bzpeer::search
