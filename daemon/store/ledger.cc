#include "daemon/store/ledger.h"

#include <sqlite3.h>

#include <string>

#include "common/sha256.h"
#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

constexpr std::string_view kHead = "SELECT seq, hash FROM ledger_head";
constexpr std::string_view kAppend =
    "INSERT INTO ledger (seq, at_ms, incident_id, type, actor, details_json, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kAllRows =
    "SELECT seq, at_ms, incident_id, type, actor, details_json, prev_hash, hash FROM ledger ORDER BY seq";
constexpr std::string_view kIncidentRows =
    "SELECT seq, at_ms, incident_id, type, actor, details_json, prev_hash, hash FROM ledger"
    " WHERE incident_id = ? ORDER BY seq";

void add_netstring(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += ',';
}

struct Head {
  std::int64_t seq = 0;
  std::string hash;
};

Result<std::optional<Head>> read_head(Store& store, std::string_view operation) {
  auto stmt = StoreAccess::statement(store, kHead, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  const int rc = use.step();
  if (rc == SQLITE_DONE) return std::optional<Head>();
  if (rc != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return Head{use.integer(0), use.text(1)};
}

// Types as the STRICT table stores them. A value of another type would be
// read back converted (text "12abc" as the integer 12) and could hide an edit.
bool well_typed(const StatementUse& row) {
  if (row.type(0) != SQLITE_INTEGER || row.type(1) != SQLITE_INTEGER) return false;
  if (row.type(2) != SQLITE_INTEGER && row.type(2) != SQLITE_NULL) return false;
  for (int column = 3; column <= 7; ++column) {
    if (row.type(column) != SQLITE_TEXT) return false;
  }
  return true;
}

LedgerRow read_row(const StatementUse& row) {
  return LedgerRow{row.integer(0), LedgerEvent{row.time(1), row.optional_integer(2), row.text(3), row.text(4), row.text(5)},
                   row.text(6), row.text(7)};
}

// Steps `use` over its rows, handing each to visit(row) until it returns false.
template <class Visit>
Result<void> walk(Store& store, StatementUse& use, std::string_view operation, Visit visit) {
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) {
    if (!visit(static_cast<const StatementUse&>(use))) return {};
  }
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return {};
}

Result<std::int64_t> append_after_head(Store& store, const LedgerEvent& event) {
  constexpr std::string_view operation = "append_ledger";
  auto head = read_head(store, operation);
  if (!head) return std::unexpected(head.error());
  if (!*head) return fail("append_ledger: the ledger head row is missing (see verify)");
  const std::int64_t seq = (*head)->seq + 1;
  const std::string hash = ledger_hash((*head)->hash, seq, event);
  auto stmt = StoreAccess::statement(store, kAppend, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(seq).bind(event.at).bind(event.incident_id).bind(event.type).bind(event.actor).bind(event.details_json);
  use.bind((*head)->hash).bind(hash);
  if (auto run = StoreAccess::run(store, use, operation); !run) return std::unexpected(run.error());
  return seq;
}

LedgerBreak at(std::int64_t seq, LedgerProblem problem, const std::string& what) {
  return LedgerBreak{seq, problem, "seq " + std::to_string(seq) + ": " + what};
}

// The first break in the rows, in seq order; `check` holds what verified.
Result<void> verify_rows(Store& store, LedgerCheck& check) {
  constexpr std::string_view operation = "verify_ledger";
  auto stmt = StoreAccess::statement(store, kAllRows, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  return walk(store, use, operation, [&](const StatementUse& raw) {
    const std::int64_t expected = check.count + 1;
    if (!well_typed(raw)) {
      check.broken = at(raw.integer(0), LedgerProblem::malformed_row, "a value has the wrong type");
      return false;
    }
    const LedgerRow row = read_row(raw);
    if (row.seq < expected) {
      check.broken = at(row.seq, LedgerProblem::malformed_row, "out of sequence (expected seq " +
                                                                    std::to_string(expected) + ")");
    } else if (row.seq > expected) {
      check.broken = at(expected, LedgerProblem::missing_rows,
                        "missing: the row after seq " + std::to_string(expected - 1) + " is seq " +
                            std::to_string(row.seq) + " (rows were deleted)");
    } else if (row.prev_hash != check.last_hash) {
      check.broken = at(row.seq, LedgerProblem::broken_link,
                        "prev_hash is not the hash of the row before (that row was altered, or this one replaced)");
    } else if (ledger_hash(row.prev_hash, row.seq, row.event) != row.hash) {
      check.broken = at(row.seq, LedgerProblem::hash_mismatch, "the content does not match its hash (edited)");
    } else {
      ++check.count;
      check.last_hash = row.hash;
      return true;
    }
    return false;
  });
}

// Compares the verified chain with the head kept beside it.
Result<void> verify_head(Store& store, LedgerCheck& check) {
  auto head = read_head(store, "verify_ledger");
  if (!head) return std::unexpected(head.error());
  const std::int64_t last = check.count;
  if (!*head) {
    check.broken = LedgerBreak{last + 1, LedgerProblem::head_missing, "the recorded ledger head was deleted"};
  } else if ((*head)->seq > last) {
    check.broken = at(last + 1, LedgerProblem::missing_tail,
                      "missing: the recorded head is seq " + std::to_string((*head)->seq) + " but the last row is seq " +
                          std::to_string(last) + " (the newest rows were deleted)");
  } else if ((*head)->seq < last) {
    check.broken = at((*head)->seq + 1, LedgerProblem::unrecorded_rows,
                      "appended after the recorded head (seq " + std::to_string((*head)->seq) + ") by another writer");
  } else if ((*head)->hash != check.last_hash) {
    check.broken = at(last, LedgerProblem::head_mismatch, "the hash differs from the recorded head's");
  }
  return {};
}

}  // namespace

std::string ledger_canonical(std::int64_t seq, const LedgerEvent& event) {
  std::string out;
  add_netstring(out, "netwarden-ledger-1");
  add_netstring(out, std::to_string(seq));
  add_netstring(out, std::to_string(to_unix_ms(event.at)));
  add_netstring(out, event.incident_id ? std::to_string(*event.incident_id) : std::string());
  add_netstring(out, event.type);
  add_netstring(out, event.actor);
  add_netstring(out, event.details_json);
  return out;
}

std::string ledger_hash(std::string_view prev_hash, std::int64_t seq, const LedgerEvent& event) {
  Sha256 hash;
  hash.update(prev_hash);
  hash.update(ledger_canonical(seq, event));
  const Sha256Digest digest = hash.finish();
  return to_hex(digest.data(), digest.size());
}

Result<std::int64_t> append_ledger(Store& store, const LedgerEvent& event) {
  if (auto begun = store.begin(); !begun) return fail("append_ledger: " + begun.error().message);
  auto appended = append_after_head(store, event);
  if (!appended) {
    (void)store.rollback();  // the append's error is the one worth reporting
    return appended;
  }
  if (auto committed = store.commit(); !committed) return fail("append_ledger: " + committed.error().message);
  return appended;
}

Result<LedgerCheck> verify_ledger(Store& store) {
  // One transaction, so that the rows and the head are read as of one moment.
  if (auto begun = store.begin(); !begun) return fail("verify_ledger: " + begun.error().message);
  LedgerCheck check;
  check.last_hash = std::string(kLedgerGenesisHash);
  auto verified = verify_rows(store, check);
  if (verified && check.ok()) verified = verify_head(store, check);
  (void)store.rollback();  // nothing was written
  if (!verified) return std::unexpected(verified.error());
  return check;
}

Result<std::vector<LedgerRow>> ledger_rows(Store& store, std::optional<std::int64_t> incident_id) {
  constexpr std::string_view operation = "ledger_rows";
  auto stmt = StoreAccess::statement(store, incident_id ? kIncidentRows : kAllRows, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  if (incident_id) use.bind(*incident_id);
  std::vector<LedgerRow> rows;
  auto walked = walk(store, use, operation, [&](const StatementUse& row) {
    rows.push_back(read_row(row));
    return true;
  });
  if (!walked) return std::unexpected(walked.error());
  return rows;
}

}  // namespace netwarden
