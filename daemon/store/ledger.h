// The ledger: an append-only, hash-chained record of every incident event
// (raised, notified, acknowledged, threshold crossed, approved, resolved,
// late step, maintenance declared), kept as evidence of who was told what
// and when.
//
// Row n carries hash_n = hex(sha256(hash_{n-1} || canonical(n, event))),
// where hash_0 is 64 '0' characters, hash_{n-1} is its 64 lowercase hex
// characters, and canonical() is the byte encoding documented at
// ledger_canonical() below. Editing a row breaks its own hash; re-hashing an
// edited row breaks the link from the next one; deleting a row leaves a gap
// in seq. Deleting the newest rows leaves a chain that is whole as far as it
// goes, which no chain can reveal by itself: the store therefore also keeps
// the head (last seq and hash) in a table the database updates on every
// append (migration 2), and verify_ledger() compares the two. Someone who
// rewrites both with the sqlite3 CLI still goes unnoticed; only a copy of the
// head kept outside the file (in the notifications sent, or the journal)
// would show that.
//
// The daemon never updates or deletes rows: SQL triggers refuse it on any
// connection that has not dropped them. Functions here follow Store's rules
// (store.h): Errors name the operation, one thread at a time; an append is a
// decision, durable when its transaction commits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class Store;

struct LedgerEvent {
  Time at;
  std::optional<std::int64_t> incident_id;  // none for events about no incident (e.g. maintenance declared)
  std::string type;                         // "raised", "notified", "acknowledged", ...
  std::string actor;                        // "netwardend", or the OS user (and person) who acted
  std::string details_json;                 // a JSON object, hashed byte for byte as given
};

struct LedgerRow {
  std::int64_t seq = 0;
  LedgerEvent event;
  std::string prev_hash;
  std::string hash;
};

enum class LedgerProblem {
  hash_mismatch,    // the row's content does not give its hash: it was edited
  broken_link,      // prev_hash is not the previous row's hash: that row was edited and re-hashed, or replaced
  missing_rows,     // seq jumps: the rows in between were deleted
  malformed_row,    // a value of the wrong SQLite type, which the STRICT table refuses to write
  missing_tail,     // the recorded head is beyond the last row: the newest rows were deleted
  unrecorded_rows,  // rows after the recorded head: appended behind the daemon's back
  head_mismatch,    // the last row is the head's seq but not its hash
  head_missing,     // the head row itself was deleted
};

struct LedgerBreak {
  std::int64_t seq = 0;  // the first broken seq (for missing rows, the first missing one)
  LedgerProblem problem = LedgerProblem::hash_mismatch;
  std::string message;   // for people: "seq 3: ..."
};

struct LedgerCheck {
  std::int64_t count = 0;  // rows verified (before the break, if any)
  std::string last_hash;   // the hash of the last verified row (64 zeros when none)
  std::optional<LedgerBreak> broken;
  bool ok() const { return !broken; }
};

// The hash that precedes the first row.
inline constexpr std::string_view kLedgerGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes hashed for row `seq`: seven netstrings ("<decimal length>:<bytes>,"):
//   "netwarden-ledger-1", seq, at (ms since the Unix epoch, UTC), incident_id
//   ("" when none), type, actor, details_json
// with integers in shortest decimal ("-" for negatives). The values are
// typed C++ values, so the form does not depend on how SQLite returned them.
std::string ledger_canonical(std::int64_t seq, const LedgerEvent& event);
// hex(sha256(prev_hash || ledger_canonical(seq, event))).
std::string ledger_hash(std::string_view prev_hash, std::int64_t seq, const LedgerEvent& event);

// Appends the event after the recorded head; returns its seq. Runs in its
// own transaction, or a savepoint of the caller's.
Result<std::int64_t> append_ledger(Store& store, const LedgerEvent& event);

// Walks every row in seq order and reports the first break, if any. An
// Error only when the file cannot be read.
Result<LedgerCheck> verify_ledger(Store& store);

// The rows in seq order: all, or those of one incident (the `show ID` timeline).
Result<std::vector<LedgerRow>> ledger_rows(Store& store, std::optional<std::int64_t> incident_id = std::nullopt);

}  // namespace netwarden
