// bzpeer — a small RAII layer over the SQLite C API, used only inside index/store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pipeline/model/error.hpp"

namespace bzpeer::store {

/// Thrown only inside index/store; Store's public functions catch it and return Error.
struct SqliteError {
  int code;
  std::string message;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind_null(int index);
  Statement& bind_optional(int index, std::string_view value);  ///< empty -> NULL

  /// Steps once: true when a row is available.
  bool step();
  /// Steps to completion (for INSERT/UPDATE/DELETE), then resets.
  void run();
  void reset();

  [[nodiscard]] std::int64_t get_int(int column) const;
  [[nodiscard]] double get_double(int column) const;
  [[nodiscard]] std::string get_text(int column) const;
  [[nodiscard]] bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// A statement from Connection::cached: the connection's prepared copy of the SQL, reset
/// (and its bindings cleared) when the holder goes out of scope. When the same SQL is
/// already held (a nested use), the holder gets a freshly prepared statement of its own.
class CachedStatement {
 public:
  CachedStatement(Statement& shared, bool& in_use) : stmt_(&shared), in_use_(&in_use) {
    in_use = true;
  }
  CachedStatement(sqlite3* db, std::string_view sql) : own_(std::in_place, db, sql) {
    stmt_ = &*own_;
  }
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  Statement& operator*() const noexcept { return *stmt_; }
  Statement* operator->() const noexcept { return stmt_; }

 private:
  std::optional<Statement> own_;
  Statement* stmt_ = nullptr;
  bool* in_use_ = nullptr;
};

class Connection {
 public:
  /// Opens (and with `create`, creates) the database file. Throws SqliteError.
  Connection(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  /// The statement for `sql`, prepared on first use and kept for the connection's life:
  /// for statements run once per record or per row, where preparing dominates.
  CachedStatement cached(std::string_view sql);
  [[nodiscard]] std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  [[nodiscard]] int changes() const { return sqlite3_changes(db_); }
  [[nodiscard]] sqlite3* handle() const { return db_; }

 private:
  struct Cached {
    std::unique_ptr<Statement> stmt;
    bool in_use = false;
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached> cache_;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool done_ = false;
};

/// Converts a caught SqliteError into the module's Error.
[[nodiscard]] Error to_error(const SqliteError& e, std::string_view what);

}  // namespace bzpeer::store
