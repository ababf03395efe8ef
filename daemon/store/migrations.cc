#include "daemon/store/migrations.h"

#include <sqlite3.h>

#include <array>
#include <optional>
#include <string>

#include "daemon/store/sqlite_error.h"

namespace netwarden {

namespace {

// Times are UTC milliseconds since the Unix epoch (common/time.h).
constexpr const char* kVersion1 = R"sql(
CREATE TABLE samples (
  target TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  up INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status INTEGER NOT NULL,
  total_us INTEGER NOT NULL,
  dns_us INTEGER NOT NULL,
  connect_us INTEGER NOT NULL,
  tls_us INTEGER NOT NULL,
  first_byte_us INTEGER NOT NULL,
  size INTEGER NOT NULL,
  remote_address TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  structure_sha256 TEXT NOT NULL,
  cert_days_left INTEGER,
  details_json TEXT NOT NULL
);
CREATE INDEX samples_by_target ON samples (target, at_ms);
-- Retention prunes across all targets by time.
CREATE INDEX samples_by_time ON samples (at_ms);

CREATE TABLE baselines (
  target TEXT PRIMARY KEY,
  text_sha256 TEXT NOT NULL,
  structure_sha256 TEXT NOT NULL,
  text TEXT NOT NULL,
  structure TEXT NOT NULL,
  set_at_ms INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

CREATE TABLE content_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  what TEXT NOT NULL,
  old_sha256 TEXT NOT NULL,
  new_sha256 TEXT NOT NULL,
  old_content TEXT NOT NULL,
  new_content TEXT NOT NULL
);
CREATE INDEX content_changes_by_target ON content_changes (target, id);

CREATE TABLE target_state (
  target TEXT PRIMARY KEY,
  updated_at_ms INTEGER NOT NULL,
  state_json TEXT NOT NULL
);
)sql";

constexpr std::array kMigrations{kVersion1};

Result<void> apply(sqlite3* db, int version) {
  const std::string what = "migrate schema to version " + std::to_string(version);
  if (auto begun = exec_sql(db, "BEGIN IMMEDIATE", what); !begun) return begun;
  const std::string set_version = "PRAGMA user_version = " + std::to_string(version);
  auto applied = exec_sql(db, kMigrations[static_cast<std::size_t>(version - 1)], what);
  if (applied) applied = exec_sql(db, set_version.c_str(), what);
  if (applied) applied = exec_sql(db, "COMMIT", what);
  if (!applied && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return applied;
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Result<int> known_schema_version(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, "read schema version"));
  }
  const int rc = sqlite3_step(stmt);
  const int version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  // Taken before finalize, which may replace the message.
  std::optional<Error> error;
  if (rc != SQLITE_ROW) error = sqlite_error(db, "read schema version");
  sqlite3_finalize(stmt);
  if (error) return std::unexpected(*error);
  if (version > latest_schema_version()) {
    return fail("schema version " + std::to_string(version) + " is newer than this netwarden knows (" +
                std::to_string(latest_schema_version()) + "); refusing to open the database");
  }
  return version;
}

Result<int> migrate(sqlite3* db, int from) {
  for (int version = from + 1; version <= latest_schema_version(); ++version) {
    if (auto applied = apply(db, version); !applied) return std::unexpected(applied.error());
  }
  return latest_schema_version();
}

}  // namespace netwarden
