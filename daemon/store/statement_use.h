// StatementUse: one run of a cached prepared statement, for the store's own
// .cc files (daemon/store only).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace netwarden {

// Leaves a cached statement ready for its next use, however a call exits:
// reset releases its read snapshot, clearing drops pointers into the
// caller's strings (bound without copying).
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementUse() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  // Binds the parameters in order, remembering the first failure.
  StatementUse& bind(const std::string& value) {
    return check(sqlite3_bind_text(stmt_, ++index_, value.data(), static_cast<int>(value.size()), SQLITE_STATIC));
  }
  StatementUse& bind(std::int64_t value) { return check(sqlite3_bind_int64(stmt_, ++index_, value)); }
  StatementUse& bind(Time value) { return bind(to_unix_ms(value)); }
  StatementUse& bind(std::optional<int> value) {
    return check(value ? sqlite3_bind_int(stmt_, ++index_, *value) : sqlite3_bind_null(stmt_, ++index_));
  }
  StatementUse& bind(std::optional<std::int64_t> value) {
    return check(value ? sqlite3_bind_int64(stmt_, ++index_, *value) : sqlite3_bind_null(stmt_, ++index_));
  }
  StatementUse& bind(std::optional<Time> value) {
    return bind(value ? std::optional<std::int64_t>(to_unix_ms(*value)) : std::nullopt);
  }
  bool bound() const { return rc_ == SQLITE_OK; }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  // SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL, ...: the value as stored.
  int type(int column) const { return sqlite3_column_type(stmt_, column); }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  Time time(int column) const { return from_unix_ms(integer(column)); }
  std::optional<int> optional_int(int column) const {
    if (type(column) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int(stmt_, column);
  }
  std::optional<std::int64_t> optional_integer(int column) const {
    if (type(column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
  }
  std::optional<Time> optional_time(int column) const {
    if (type(column) == SQLITE_NULL) return std::nullopt;
    return time(column);
  }

 private:
  StatementUse& check(int rc) {
    if (rc_ == SQLITE_OK) rc_ = rc;
    return *this;
  }
  sqlite3_stmt* stmt_;
  int index_ = 0;
  int rc_ = SQLITE_OK;
};

}  // namespace netwarden
