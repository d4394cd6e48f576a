// bzpeer — Store internals shared by the store's .cpp files and index/queries.
#pragma once

#include <filesystem>

#include "index/store/sqlite.hpp"
#include "index/store/store.hpp"

namespace bzpeer::store {

struct Store::Impl {
  std::filesystem::path path;
  Connection db;
  Impl(std::filesystem::path p, bool read_only) : path(std::move(p)), db(path.string(), read_only) {}
};

/// Creates or migrates the schema. Throws SqliteError.
void ensure_schema(Connection& db);

/// Recomputes collaborations, work counts and topics of the authors in pending_authors.
/// Runs inside the caller's transaction. Throws SqliteError.
void recompute_author_rollups(Connection& db, ConsolidationStats& stats);

/// Joins strings with a separator (store columns keep lists as space/tab separated text).
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep);
[[nodiscard]] std::vector<std::string> split(std::string_view text, char sep);

}  // namespace bzpeer::store
