#include "index/store/sqlite.hpp"

namespace bzpeer::store {
namespace {

[[noreturn]] void raise(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw SqliteError{code, std::move(message)};
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) raise(db, rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
Statement& Statement::bind_optional(int index, std::string_view value) {
  return value.empty() ? bind_null(index) : bind(index, value);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  raise(db_, rc, std::string("step \"") + std::string(sqlite3_sql(stmt_)).substr(0, 80) + "\"");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::get_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::get_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}
std::string Statement::get_text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Connection::Connection(const std::string& path, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError{rc, message};
  }
  // Harvests of several sources write through their own connections at the same time;
  // BEGIN IMMEDIATE makes them queue, and a page commit can take a while on a large store.
  sqlite3_busy_timeout(db_, 60000);
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  cache_.clear();  // finalise the cached statements before closing
  sqlite3_close(db_);
}

CachedStatement::~CachedStatement() {
  stmt_->reset();
  if (in_use_ != nullptr) *in_use_ = false;
}

CachedStatement Connection::cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    it = cache_.emplace(std::string(sql), Cached{std::make_unique<Statement>(db_, sql), false})
             .first;
  }
  if (it->second.in_use) return CachedStatement(db_, sql);
  return CachedStatement(*it->second.stmt, it->second.in_use);
}

void Connection::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError{rc, "exec \"" + s.substr(0, 80) + "\": " + message};
  }
}

Transaction::Transaction(Connection& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (const SqliteError&) {
      // The transaction may already be gone (SQLite rolls back on some errors itself).
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Error to_error(const SqliteError& e, std::string_view what) {
  int primary = e.code & 0xff;
  ErrorCode code = ErrorCode::storage;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = ErrorCode::locked;
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR) {
    code = ErrorCode::io;
  }
  return Error{code, std::string(what) + ": " + e.message};
}

}  // namespace bzpeer::store
