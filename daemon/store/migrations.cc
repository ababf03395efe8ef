#include "daemon/store/migrations.h"

#include <sqlite3.h>

#include <algorithm>
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

// The ledger: every incident event, each row carrying the hash of the one
// before (daemon/store/ledger.h). The triggers refuse UPDATE and DELETE on
// any connection that has not dropped them; a tool that does drop them is
// what verify_ledger() catches. ledger_head keeps the last seq and hash in
// a second place, maintained by the database itself, so that deleting the
// newest rows (which leaves a chain that is whole as far as it goes) shows
// too, and so that an append continues the recorded head, never a
// truncated table.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  incident_id INTEGER,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_by_incident ON ledger (incident_id, seq);

CREATE TABLE ledger_head (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO ledger_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_continues_head BEFORE INSERT ON ledger
WHEN NEW.seq IS NOT (SELECT seq + 1 FROM ledger_head) OR NEW.prev_hash IS NOT (SELECT hash FROM ledger_head)
BEGIN SELECT RAISE(ABORT, 'ledger append does not continue the recorded head'); END;
CREATE TRIGGER ledger_advances_head AFTER INSERT ON ledger
BEGIN UPDATE ledger_head SET seq = NEW.seq, hash = NEW.hash; END;
CREATE TRIGGER ledger_head_only_advances BEFORE UPDATE ON ledger_head
WHEN NEW.seq IS NOT OLD.seq + 1
BEGIN SELECT RAISE(ABORT, 'ledger head only advances'); END;
CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head
BEGIN SELECT RAISE(ABORT, 'ledger head is kept'); END;

-- state_json is the incident engine's resumable state, opaque to the store.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
  opened_at_ms INTEGER NOT NULL,
  resolved_at_ms INTEGER,
  state_json TEXT NOT NULL
) STRICT;
CREATE INDEX incidents_by_state ON incidents (state, id);

-- The next id to hand out: above every id ever stored, even deleted ones.
CREATE TABLE incident_ids (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  next INTEGER NOT NULL
) STRICT;
INSERT INTO incident_ids VALUES (1, 1);

CREATE TRIGGER incident_id_not_reused BEFORE INSERT ON incidents
WHEN NEW.id < (SELECT next FROM incident_ids) AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'incident id was already used'); END;
CREATE TRIGGER incident_ids_advance AFTER INSERT ON incidents
BEGIN UPDATE incident_ids SET next = max(next, NEW.id + 1); END;
)sql";

// Maintenance windows declared over the control socket (the config's own
// windows are read from the config at every start and never stored).
constexpr const char* kVersion3 = R"sql(
CREATE TABLE maintenance_windows (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL CHECK (to_ms > from_ms),
  reason TEXT NOT NULL,
  declared_by TEXT NOT NULL,
  declared_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX maintenance_windows_by_end ON maintenance_windows (to_ms);
)sql";

// The outbox: every e-mail is a row before it is attempted, so a crash loses
// none (daemon/store/outbox.h). data is the whole rendered message, so a
// retry sends exactly the bytes first decided on. failed_at_ms is when the
// drainer gave up on a row.
constexpr const char* kVersion4 = R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL,
  person TEXT NOT NULL,
  address TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  thread_root TEXT NOT NULL,
  reasons TEXT NOT NULL,
  data TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  sent_at_ms INTEGER,
  failed_at_ms INTEGER,
  last_error TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_by_incident ON outbox (incident_id, person, id);
)sql";

// The keyed ledger (daemon/store/ledger.h): rows keep their form, and the
// segment markers and daily checkpoints are rows of their own types, found
// by type when the daemon starts and once a day.
constexpr const char* kVersion5 = R"sql(
CREATE INDEX ledger_by_type ON ledger (type, seq);
)sql";

// Whole-site crawls (daemon/store/crawl_pages.h): each target's current or
// last crawl, and every page and file it knows with what it showed, so that
// a restarted daemon carries a crawl on and asks for unchanged pages with
// their validators. A page's row is written once it is fetched (or found):
// found_run and fetched_run are crawl numbers, 0 for never fetched.
constexpr const char* kVersion6 = R"sql(
CREATE TABLE crawls (
  target TEXT PRIMARY KEY,
  run INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  last_complete_at_ms INTEGER,
  last_complete_pages INTEGER NOT NULL
) STRICT;
CREATE TABLE crawl_pages (
  target TEXT NOT NULL,
  url TEXT NOT NULL,
  depth INTEGER NOT NULL,
  found_run INTEGER NOT NULL,
  fetched_run INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  outcome TEXT NOT NULL,
  evidence TEXT NOT NULL,
  PRIMARY KEY (target, url)
) STRICT, WITHOUT ROWID;
)sql";

// Deliveries over other channels than e-mail (daemon/store/outbox.h):
// every row so far was an e-mail.
constexpr const char* kVersion7 = R"sql(
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
)sql";

// `status` counts each channel's deliveries by state from this index, not
// from the rows (which hold whole messages).
constexpr const char* kVersion8 = R"sql(
CREATE INDEX outbox_by_channel ON outbox (channel, state, created_at_ms);
)sql";

// Hourly history per target, kept long after the samples (history.h), and
// how far the samples have been rolled up into it.
constexpr const char* kVersion9 = R"sql(
CREATE TABLE hourly (
  target TEXT NOT NULL,
  hour_ms INTEGER NOT NULL,
  checks INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  downtime_ms INTEGER NOT NULL,
  latency_p50_us INTEGER NOT NULL,
  latency_p95_us INTEGER NOT NULL,
  latency_max_us INTEGER NOT NULL,
  PRIMARY KEY (target, hour_ms)
) STRICT, WITHOUT ROWID;
CREATE INDEX hourly_by_hour ON hourly (hour_ms);
CREATE TABLE history_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  rolled_up_until_ms INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::array kMigrations{kVersion1, kVersion2, kVersion3, kVersion4, kVersion5,
                                 kVersion6, kVersion7, kVersion8, kVersion9};

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

Result<int> migrate(sqlite3* db, int from, int to) {
  if (to > latest_schema_version()) return fail("migrate: no schema version " + std::to_string(to));
  for (int version = from + 1; version <= to; ++version) {
    if (auto applied = apply(db, version); !applied) return std::unexpected(applied.error());
  }
  return std::max(from, to);
}

}  // namespace netwarden
