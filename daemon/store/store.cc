#include "daemon/store/store.h"

#include <sqlite3.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/store/migrations.h"
#include "daemon/store/sqlite_error.h"
#include "daemon/store/statement_use.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

// Every statement the Store runs, prepared once per connection: add_sample
// runs on every check, so it must not pay for parsing each time.
enum class Sql {
  begin,
  commit,
  rollback,
  savepoint,
  release,
  rollback_to,
  add_sample,
  samples,
  prune_samples,
  baseline,
  put_baseline,
  add_content_change,
  content_changes,
  latest_content_change,
  put_target_state,
  target_states
};

constexpr std::array<const char*, 16> kSql{
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT nested",
    "RELEASE nested",
    "ROLLBACK TO nested",
    "INSERT INTO samples (target, at_ms, up, reason, status, total_us, dns_us, connect_us, tls_us, first_byte_us,"
    " size, remote_address, text_sha256, structure_sha256, cert_days_left, details_json)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "SELECT target, at_ms, up, reason, status, total_us, dns_us, connect_us, tls_us, first_byte_us, size,"
    " remote_address, text_sha256, structure_sha256, cert_days_left, details_json"
    " FROM samples WHERE target = ? ORDER BY at_ms DESC, rowid DESC LIMIT ?",
    "DELETE FROM samples WHERE at_ms < ?",
    "SELECT target, text_sha256, structure_sha256, text, structure, set_at_ms, set_by FROM baselines WHERE target = ?",
    "INSERT OR REPLACE INTO baselines (target, text_sha256, structure_sha256, text, structure, set_at_ms, set_by)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO content_changes (target, at_ms, what, old_sha256, new_sha256, old_content, new_content)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "SELECT target, at_ms, what, old_sha256, new_sha256, old_content, new_content"
    " FROM content_changes WHERE target = ? ORDER BY id",
    "SELECT target, at_ms, what, old_sha256, new_sha256, old_content, new_content"
    " FROM content_changes WHERE target = ? AND what = ? ORDER BY id DESC LIMIT 1",
    "INSERT OR REPLACE INTO target_state (target, updated_at_ms, state_json) VALUES (?, ?, ?)",
    "SELECT target, updated_at_ms, state_json FROM target_state ORDER BY target",
};

// Switches to WAL, which SQLite may decline (e.g. on a file system without
// shared memory); the pragma answers with the mode in force.
Result<void> use_wal(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, "set journal_mode"));
  }
  std::optional<Error> error;
  std::string mode;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  } else {
    error = sqlite_error(db, "set journal_mode");
  }
  sqlite3_finalize(stmt);
  if (error) return std::unexpected(*error);
  if (mode != "wal") return fail("set journal_mode: the database stayed in '" + mode + "' mode, not WAL");
  return {};
}

Sample read_sample(const StatementUse& row) {
  Sample s;
  s.target = row.text(0);
  s.at = row.time(1);
  s.up = row.integer(2) != 0;
  s.reason = row.text(3);
  s.status = static_cast<int>(row.integer(4));
  s.total_us = row.integer(5);
  s.dns_us = row.integer(6);
  s.connect_us = row.integer(7);
  s.tls_us = row.integer(8);
  s.first_byte_us = row.integer(9);
  s.size = row.integer(10);
  s.remote_address = row.text(11);
  s.text_sha256 = row.text(12);
  s.structure_sha256 = row.text(13);
  s.cert_days_left = row.optional_int(14);
  s.details_json = row.text(15);
  return s;
}

}  // namespace

struct Store::Connection {
  sqlite3* db = nullptr;
  int version = 0;
  int depth = 0;  // 0 outside begin(); 1 in a transaction; more inside savepoints
  std::array<sqlite3_stmt*, kSql.size()> statements{};
  // The other files' statements (StoreAccess), by their SQL text.
  std::map<std::string, sqlite3_stmt*, std::less<>> more_statements;
  std::optional<LedgerKey> ledger_key;  // see use_ledger_key() in ledger.h

  ~Connection() {
    for (sqlite3_stmt* s : statements) sqlite3_finalize(s);
    for (auto& [sql, s] : more_statements) sqlite3_finalize(s);
    sqlite3_close(db);  // rolls back a transaction left open
  }

  Error error(std::string_view operation) const { return sqlite_error(db, operation); }

  Result<void> prepare() {
    for (std::size_t i = 0; i < kSql.size(); ++i) {
      if (sqlite3_prepare_v3(db, kSql[i], -1, SQLITE_PREPARE_PERSISTENT, &statements[i], nullptr) != SQLITE_OK) {
        return std::unexpected(error(std::string("prepare \"") + kSql[i] + "\""));
      }
    }
    return {};
  }

  sqlite3_stmt* statement(Sql which) const { return statements[static_cast<std::size_t>(which)]; }

  // Runs a statement that returns no rows.
  Result<void> run(StatementUse& use, std::string_view operation) {
    if (!use.bound() || use.step() != SQLITE_DONE) return std::unexpected(error(operation));
    return {};
  }
  Result<void> run(Sql which, std::string_view operation) {
    StatementUse use(statement(which));
    return run(use, operation);
  }
};

Store::Store(std::unique_ptr<Connection> connection) : c_(std::move(connection)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  auto c = std::make_unique<Connection>();
  if (sqlite3_open_v2(path.c_str(), &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    if (c->db == nullptr) return fail("open: out of memory");
    return std::unexpected(c->error("open"));
  }
  // A tool holding the write lock delays a write by up to 5 s instead of failing it.
  sqlite3_busy_timeout(c->db, 5000);
  // Checked before anything writes to the file (switching to WAL does).
  auto version = known_schema_version(c->db);
  if (!version) return std::unexpected(version.error());

  if (auto wal = use_wal(c->db); !wal) return std::unexpected(wal.error());
  // Every commit syncs the WAL before it counts (see the header).
  if (auto set = exec_sql(c->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", "configure"); !set) {
    return std::unexpected(set.error());
  }
  auto migrated = migrate(c->db, *version);
  if (!migrated) return std::unexpected(migrated.error());
  c->version = *migrated;
  if (auto prepared = c->prepare(); !prepared) return std::unexpected(prepared.error());
  return std::unique_ptr<Store>(new Store(std::move(c)));
}

Result<std::unique_ptr<Store>> Store::open_read_only(const std::string& path) {
  auto c = std::make_unique<Connection>();
  if (sqlite3_open_v2(path.c_str(), &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    if (c->db == nullptr) return fail("open: out of memory");
    return std::unexpected(c->error("open"));
  }
  auto version = known_schema_version(c->db);
  if (!version) return std::unexpected(version.error());
  // Version 2 made the ledger; later versions add nothing reading needs.
  if (*version < 2) return fail("schema version " + std::to_string(*version) + " has no ledger");
  c->version = *version;
  if (auto prepared = c->prepare(); !prepared) return std::unexpected(prepared.error());
  return std::unique_ptr<Store>(new Store(std::move(c)));
}

int Store::schema_version() const { return c_->version; }

Result<void> Store::begin() {
  if (c_->depth == 0) {
    if (auto begun = c_->run(Sql::begin, "begin"); !begun) return begun;
  } else {
    // SQLite ends the whole transaction on some errors (disk full, I/O).
    if (sqlite3_get_autocommit(c_->db)) return fail("begin: the enclosing transaction was rolled back by an error");
    if (auto begun = c_->run(Sql::savepoint, "begin savepoint"); !begun) return begun;
  }
  ++c_->depth;
  return {};
}

Result<void> Store::commit() {
  if (c_->depth == 0) return fail("commit: no transaction is open");
  const bool outermost = c_->depth == 1;
  auto committed = outermost ? c_->run(Sql::commit, "commit") : c_->run(Sql::release, "commit savepoint");
  if (!committed) {
    (void)rollback();  // the commit's error is the one worth reporting
    return committed;
  }
  --c_->depth;
  return {};
}

Result<void> Store::rollback() {
  if (c_->depth == 0) return fail("rollback: no transaction is open");
  --c_->depth;
  // Already undone by SQLite after an error: nothing is left to roll back.
  if (sqlite3_get_autocommit(c_->db)) return {};
  if (c_->depth == 0) return c_->run(Sql::rollback, "rollback");
  auto undone = c_->run(Sql::rollback_to, "rollback savepoint");
  if (undone) undone = c_->run(Sql::release, "rollback savepoint");
  // A half-undone savepoint must never commit: give up the whole
  // transaction, so the outermost commit() fails too.
  if (!undone) sqlite3_exec(c_->db, "ROLLBACK", nullptr, nullptr, nullptr);
  return undone;
}

Result<void> Store::add_sample(const Sample& s) {
  StatementUse use(c_->statement(Sql::add_sample));
  use.bind(s.target).bind(s.at).bind(std::int64_t{s.up}).bind(s.reason).bind(std::int64_t{s.status});
  use.bind(s.total_us).bind(s.dns_us).bind(s.connect_us).bind(s.tls_us).bind(s.first_byte_us).bind(s.size);
  use.bind(s.remote_address).bind(s.text_sha256).bind(s.structure_sha256).bind(s.cert_days_left).bind(s.details_json);
  return c_->run(use, "add_sample");
}

Result<std::vector<Sample>> Store::samples(const std::string& target, int limit) {
  StatementUse use(c_->statement(Sql::samples));
  use.bind(target).bind(std::int64_t{limit});
  std::vector<Sample> out;
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) out.push_back(read_sample(use));
  if (rc != SQLITE_DONE) return std::unexpected(c_->error("samples"));
  return out;
}

Result<std::int64_t> Store::prune_samples(Time cutoff) {
  StatementUse use(c_->statement(Sql::prune_samples));
  use.bind(cutoff);
  if (auto pruned = c_->run(use, "prune_samples"); !pruned) return std::unexpected(pruned.error());
  return static_cast<std::int64_t>(sqlite3_changes64(c_->db));
}

Result<std::optional<Baseline>> Store::baseline(const std::string& target) {
  StatementUse use(c_->statement(Sql::baseline));
  use.bind(target);
  const int rc = use.bound() ? use.step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<Baseline>();
  if (rc != SQLITE_ROW) return std::unexpected(c_->error("baseline"));
  return Baseline{use.text(0), use.text(1), use.text(2), use.text(3), use.text(4), use.time(5), use.text(6)};
}

Result<void> Store::put_baseline(const Baseline& b) {
  StatementUse use(c_->statement(Sql::put_baseline));
  use.bind(b.target).bind(b.text_sha256).bind(b.structure_sha256).bind(b.text).bind(b.structure);
  use.bind(b.set_at).bind(b.set_by);
  return c_->run(use, "put_baseline");
}

Result<void> Store::add_content_change(const ContentChange& change) {
  StatementUse use(c_->statement(Sql::add_content_change));
  use.bind(change.target).bind(change.at).bind(change.what).bind(change.old_sha256).bind(change.new_sha256);
  use.bind(change.old_content).bind(change.new_content);
  return c_->run(use, "add_content_change");
}

Result<std::vector<ContentChange>> Store::content_changes(const std::string& target) {
  StatementUse use(c_->statement(Sql::content_changes));
  use.bind(target);
  std::vector<ContentChange> out;
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) {
    out.push_back({use.text(0), use.time(1), use.text(2), use.text(3), use.text(4), use.text(5), use.text(6)});
  }
  if (rc != SQLITE_DONE) return std::unexpected(c_->error("content_changes"));
  return out;
}

Result<std::optional<ContentChange>> Store::latest_content_change(const std::string& target, const std::string& what) {
  StatementUse use(c_->statement(Sql::latest_content_change));
  use.bind(target).bind(what);
  const int rc = use.bound() ? use.step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<ContentChange>();
  if (rc != SQLITE_ROW) return std::unexpected(c_->error("latest_content_change"));
  return ContentChange{use.text(0), use.time(1), use.text(2), use.text(3), use.text(4), use.text(5), use.text(6)};
}

Result<void> Store::put_target_state(const TargetStateRow& row) {
  StatementUse use(c_->statement(Sql::put_target_state));
  use.bind(row.target).bind(row.updated_at).bind(row.state_json);
  return c_->run(use, "put_target_state");
}

Result<std::vector<TargetStateRow>> Store::target_states() {
  StatementUse use(c_->statement(Sql::target_states));
  std::vector<TargetStateRow> out;
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) out.push_back({use.text(0), use.time(1), use.text(2)});
  if (rc != SQLITE_DONE) return std::unexpected(c_->error("target_states"));
  return out;
}

Result<sqlite3_stmt*> StoreAccess::statement(Store& store, std::string_view sql, std::string_view operation) {
  auto& cache = store.c_->more_statements;
  if (auto found = cache.find(sql); found != cache.end()) return found->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(store.c_->db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    return std::unexpected(store.c_->error(operation));
  }
  if (stmt == nullptr) return fail(std::string(operation) + ": no SQL statement to prepare");
  cache.emplace(std::string(sql), stmt);
  return stmt;
}

Error StoreAccess::error(Store& store, std::string_view operation) { return store.c_->error(operation); }

Result<void> StoreAccess::run(Store& store, StatementUse& use, std::string_view operation) {
  return store.c_->run(use, operation);
}

bool StoreAccess::in_transaction(Store& store) { return store.c_->depth > 0; }

std::optional<LedgerKey>& StoreAccess::ledger_key(Store& store) { return store.c_->ledger_key; }

}  // namespace netwarden
