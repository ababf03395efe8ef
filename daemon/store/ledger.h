// The ledger: an append-only, hash-chained record of every incident event
// (raised, notified, acknowledged, threshold crossed, approved, resolved,
// late step, maintenance declared), kept as evidence of who was told what
// and when.
//
// Row n carries hash_n, computed over hash_{n-1} || canonical(n, event),
// where hash_0 is 64 '0' characters, hash_{n-1} is its 64 lowercase hex
// characters, and canonical() is the byte encoding documented at
// ledger_canonical() below. Rows before the first segment marker (every row
// of a database written before keys existed) use hex(sha256(...)). A
// segment marker is a row of type "segment_started" whose details name the
// key it starts (its id, ledger_key.h; "" for none) and, when it follows a
// break found at start-up, that break. From a marker on, up to the next,
// each row's hash (the marker's own included) is
// hex(HMAC-SHA256(key, hash_{n-1} || canonical)) when the marker names a
// key, else the plain SHA-256. Without the key nobody can compute a keyed
// row's hash: an edited, re-hashed or forged row shows as soon as the
// chain is verified with the key.
//
// Editing a row breaks its own hash; re-hashing an edited row breaks the
// link from the next one (and, keyed, its own hash); deleting a row leaves
// a gap in seq. Deleting the newest rows leaves a chain that is whole as
// far as it goes: the store therefore keeps the head (last seq and hash) in
// a table the database updates on every append (migration 2), and
// verify_ledger() compares the two. Someone who rewrites both with the
// sqlite3 CLI goes unnoticed by the chain alone; the copies of the head
// sent in every notification (anchors, check_ledger_anchors()) show it.
//
// After a break the chain is not trusted again until a marker that
// records the break (written by the daemon at start-up) opens a new
// segment: verification reports the break and checks the new segment on
// its own, so an auditor sees both the old damage and that what followed
// is whole.
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
#include "daemon/store/ledger_key.h"

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

// "hash_mismatch", "broken_link", ... as the enumerator is named.
std::string_view to_string(LedgerProblem problem);

struct LedgerBreak {
  std::int64_t seq = 0;  // the first broken seq (for missing rows, the first missing one)
  LedgerProblem problem = LedgerProblem::hash_mismatch;
  std::string message;  // for people: "seq 3: ..."
  // The marker that recorded this break and opened a new segment, if one did.
  std::optional<std::int64_t> recorded_at;
};

// A run of rows hashed the same way: from a marker (or seq 1) to the row
// before the next marker.
struct LedgerSegment {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;  // first_seq - 1 while empty
  std::string key_id;         // "" for a plain SHA-256 segment
  bool checked = true;        // false: keyed with a key not given, so only links and seq were checked
  bool whole = true;          // no break inside it
};

struct LedgerCheck {
  std::int64_t count = 0;  // rows that verified
  std::int64_t last_seq = 0;
  std::string last_hash;              // the hash of the last verified row (64 zeros when none)
  std::optional<LedgerBreak> broken;  // the first break, if any
  std::vector<LedgerBreak> breaks;    // every break, oldest first (broken is the first)
  std::vector<LedgerSegment> segments;
  bool ok() const { return !broken; }
  // True when every break was recorded by a later marker: the segment in
  // use is whole.
  bool current_whole() const;
  // The breaks no marker has recorded yet.
  std::vector<LedgerBreak> unrecorded() const;
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
// hex(sha256(prev_hash || ledger_canonical(seq, event))), or with a key
// hex(HMAC-SHA256(key, prev_hash || ledger_canonical(seq, event))).
std::string ledger_hash(std::string_view prev_hash, std::int64_t seq, const LedgerEvent& event,
                        const LedgerKey* key = nullptr);

// The type of a segment marker row.
inline constexpr std::string_view kSegmentMarker = "segment_started";

// The key the store's appends hash with (none: plain SHA-256). The daemon
// sets it on each connection it writes the ledger with, after
// start_ledger_segment() has made the chain's current segment match it.
void use_ledger_key(Store& store, std::optional<LedgerKey> key);

// Appends the event after the recorded head; returns its seq. Runs in its
// own transaction, or a savepoint of the caller's.
Result<std::int64_t> append_ledger(Store& store, const LedgerEvent& event);

// Walks every row in seq order, checking keyed segments with `key` (when
// it is the segment's key; other keyed segments are only checked for seq
// and links) and reports every break and segment. An Error only when the
// file cannot be read. Reads only: works on a read-only Store.
Result<LedgerCheck> verify_ledger(Store& store, const std::optional<LedgerKey>& key = std::nullopt);

// What start-up found and did.
struct LedgerStart {
  LedgerCheck check;                    // before the marker, if one was written
  std::optional<std::int64_t> marker;   // the seq of the marker written, if any
  std::vector<LedgerBreak> new_breaks;  // breaks found now (recorded by the marker)
};

// Verifies the ledger at start-up and makes the store append with `key`:
// writes a marker when breaks no marker recorded were found (naming the
// first, so the chain continues on a new segment), or when the current
// segment was written with another key or none. Never refuses to go on:
// the daemon keeps monitoring on a broken ledger.
Result<LedgerStart> start_ledger_segment(Store& store, const std::optional<LedgerKey>& key, Time now);

// A copy of the head taken outside the database: from the
// X-Netwarden-Ledger header of a delivered message, or a line of a file.
struct LedgerAnchor {
  std::int64_t seq = 0;
  std::string hash;
  std::string source;  // the file (and line) it came from
};

struct AnchorBreak {
  LedgerAnchor anchor;
  std::string message;  // "seq 12 is beyond the last row (11): rows were deleted"
};

// Each anchor whose seq is beyond the last row (the newest rows were
// deleted) or whose hash differs from the row's (rows were rewritten or
// the head rewound and the chain continued). Reads only.
Result<std::vector<AnchorBreak>> check_ledger_anchors(Store& store, const std::vector<LedgerAnchor>& anchors);

// The newest row of `type`, if any (the daemon's markers and checkpoints).
Result<std::optional<LedgerRow>> last_ledger_row(Store& store, std::string_view type);

// The current head (the last seq and its hash, as the store records it).
struct LedgerHead {
  std::int64_t seq = 0;
  std::string hash;
};
Result<LedgerHead> ledger_head(Store& store);

// The rows in seq order: all, or those of one incident (the `show ID` timeline).
Result<std::vector<LedgerRow>> ledger_rows(Store& store, std::optional<std::int64_t> incident_id = std::nullopt);

}  // namespace netwarden
