#include "daemon/store/ledger.h"

#include <sqlite3.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
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
constexpr std::string_view kLastOfType =
    "SELECT seq, at_ms, incident_id, type, actor, details_json, prev_hash, hash FROM ledger"
    " WHERE type = ? ORDER BY seq DESC LIMIT 1";
constexpr std::string_view kRowHash = "SELECT hash FROM ledger WHERE seq = ?";
constexpr std::string_view kLastSeq = "SELECT coalesce(max(seq), 0) FROM ledger";
// Deferred, not BEGIN IMMEDIATE: verifying only reads, also on a read-only Store.
constexpr std::string_view kBeginRead = "BEGIN";
constexpr std::string_view kEndRead = "ROLLBACK";
constexpr std::string_view kIncidentRows =
    "SELECT seq, at_ms, incident_id, type, actor, details_json, prev_hash, hash FROM ledger"
    " WHERE incident_id = ? ORDER BY seq";

void add_netstring(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += ',';
}

Result<std::optional<LedgerHead>> read_head(Store& store, std::string_view operation) {
  auto stmt = StoreAccess::statement(store, kHead, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  const int rc = use.step();
  if (rc == SQLITE_DONE) return std::optional<LedgerHead>();
  if (rc != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return LedgerHead{use.integer(0), use.text(1)};
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
  return LedgerRow{row.integer(0),
                   LedgerEvent{row.time(1), row.optional_integer(2), row.text(3), row.text(4), row.text(5)},
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
  const auto& key = StoreAccess::ledger_key(store);
  const std::string hash = ledger_hash((*head)->hash, seq, event, key ? &*key : nullptr);
  auto stmt = StoreAccess::statement(store, kAppend, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(seq).bind(event.at).bind(event.incident_id).bind(event.type).bind(event.actor).bind(event.details_json);
  use.bind((*head)->hash).bind(hash);
  if (auto run = StoreAccess::run(store, use, operation); !run) return std::unexpected(run.error());
  return seq;
}

LedgerBreak at(std::int64_t seq, LedgerProblem problem, const std::string& what) {
  return LedgerBreak{seq, problem, "seq " + std::to_string(seq) + ": " + what, std::nullopt};
}

}  // namespace

std::string_view to_string(LedgerProblem problem) {
  switch (problem) {
    case LedgerProblem::hash_mismatch: return "hash_mismatch";
    case LedgerProblem::broken_link: return "broken_link";
    case LedgerProblem::missing_rows: return "missing_rows";
    case LedgerProblem::malformed_row: return "malformed_row";
    case LedgerProblem::missing_tail: return "missing_tail";
    case LedgerProblem::unrecorded_rows: return "unrecorded_rows";
    case LedgerProblem::head_mismatch: return "head_mismatch";
    case LedgerProblem::head_missing: return "head_missing";
  }
  return "unknown";
}

namespace {

// What a marker row's details say.
struct Marker {
  std::string key_id;
  bool after_break = false;
};

std::optional<Marker> marker_of(const LedgerRow& row) {
  if (row.event.type != kSegmentMarker) return std::nullopt;
  boost::system::error_code ec;
  const auto details = boost::json::parse(row.event.details_json, ec);
  const auto* object = ec ? nullptr : details.if_object();
  const auto* key_id = object != nullptr ? object->if_contains("key_id") : nullptr;
  if (key_id == nullptr || !key_id->is_string()) return std::nullopt;
  return Marker{std::string(key_id->get_string()), object->contains("after_break")};
}

// Walks the rows in seq order (see the header for the rules).
class ChainWalk {
 public:
  ChainWalk(const std::optional<LedgerKey>& key, LedgerCheck& check) : key_(key), check_(check) {
    check_.last_hash = std::string(kLedgerGenesisHash);
    check_.segments.push_back(LedgerSegment{1, 0, "", true, true});
  }

  bool skipping() const { return skipping_; }

  void visit(const StatementUse& raw) {
    if (!well_typed(raw))
      return add_break(at(raw.integer(0), LedgerProblem::malformed_row, "a value has the wrong type"));
    const LedgerRow row = read_row(raw);
    const std::optional<Marker> marker = marker_of(row);
    if (!skipping_) {
      const std::int64_t expected = check_.last_seq + 1;
      if (row.seq < expected) {
        return add_break(at(row.seq, LedgerProblem::malformed_row,
                            "out of sequence (expected seq " + std::to_string(expected) + ")"));
      }
      if (row.seq > expected) {
        add_break(at(expected, LedgerProblem::missing_rows,
                     "missing: the row after seq " + std::to_string(expected - 1) + " is seq " +
                         std::to_string(row.seq) + " (rows were deleted)"));
      } else if (row.prev_hash != check_.last_hash) {
        add_break(at(row.seq, LedgerProblem::broken_link,
                     "prev_hash is not the hash of the row before (that row was altered, or this one replaced)"));
      } else if (!hash_holds(row, marker ? marker->key_id : check_.segments.back().key_id)) {
        add_break(at(row.seq, LedgerProblem::hash_mismatch,
                     "the content does not match its hash (edited, or written without the ledger key)"));
      } else {
        return accept(row, marker);
      }
    }
    // After a break only a marker that records one, with a hash that holds
    // under its own key, makes the chain trusted again.
    if (marker && marker->after_break && hash_holds(row, marker->key_id)) {
      for (auto& b : check_.breaks) {
        if (!b.recorded_at) b.recorded_at = row.seq;
      }
      skipping_ = false;
      accept(row, marker);
    }
  }

 private:
  // A segment keyed with a key that was not given cannot be checked.
  bool hash_holds(const LedgerRow& row, const std::string& key_id) const {
    if (key_id.empty()) return ledger_hash(row.prev_hash, row.seq, row.event) == row.hash;
    if (!key_ || key_->id != key_id) return true;
    return ledger_hash(row.prev_hash, row.seq, row.event, &*key_) == row.hash;
  }

  void accept(const LedgerRow& row, const std::optional<Marker>& marker) {
    if (marker) {
      const bool checked = marker->key_id.empty() || (key_ && key_->id == marker->key_id);
      // A database begun with a key has no unkeyed rows before its first marker.
      const LedgerSegment& before = check_.segments.back();
      if (before.whole && before.last_seq < before.first_seq) check_.segments.pop_back();
      check_.segments.push_back(LedgerSegment{row.seq, row.seq - 1, marker->key_id, checked, true});
    }
    check_.segments.back().last_seq = row.seq;
    ++check_.count;
    check_.last_seq = row.seq;
    check_.last_hash = row.hash;
  }

  void add_break(LedgerBreak b) {
    if (!check_.broken) check_.broken = b;
    check_.breaks.push_back(std::move(b));
    check_.segments.back().whole = false;
    skipping_ = true;
  }

  const std::optional<LedgerKey>& key_;
  LedgerCheck& check_;
  bool skipping_ = false;
};

void add_head_break(LedgerCheck& check, LedgerBreak b) {
  if (!check.broken) check.broken = b;
  check.breaks.push_back(std::move(b));
  check.segments.back().whole = false;
}

// Compares the verified chain with the head kept beside it.
Result<void> verify_head(Store& store, LedgerCheck& check) {
  auto head = read_head(store, "verify_ledger");
  if (!head) return std::unexpected(head.error());
  const std::int64_t last = check.last_seq;
  if (!*head) {
    add_head_break(check, LedgerBreak{last + 1, LedgerProblem::head_missing, "the recorded ledger head was deleted",
                                      std::nullopt});
  } else if ((*head)->seq > last) {
    add_head_break(
        check, at(last + 1, LedgerProblem::missing_tail,
                  "missing: the recorded head is seq " + std::to_string((*head)->seq) + " but the last row is seq " +
                      std::to_string(last) + " (the newest rows were deleted)"));
  } else if ((*head)->seq < last) {
    add_head_break(check,
                   at((*head)->seq + 1, LedgerProblem::unrecorded_rows,
                      "appended after the recorded head (seq " + std::to_string((*head)->seq) + ") by another writer"));
  } else if ((*head)->hash != check.last_hash) {
    add_head_break(check, at(last, LedgerProblem::head_mismatch, "the hash differs from the recorded head's"));
  }
  return {};
}

Result<LedgerCheck> verify_in_transaction(Store& store, const std::optional<LedgerKey>& key) {
  constexpr std::string_view operation = "verify_ledger";
  LedgerCheck check;
  ChainWalk chain(key, check);
  auto stmt = StoreAccess::statement(store, kAllRows, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  auto walked = walk(store, use, operation, [&](const StatementUse& raw) {
    chain.visit(raw);
    return true;
  });
  if (!walked) return std::unexpected(walked.error());
  // After an unrecorded break the rows that follow are not trusted, so the
  // head is not compared with them.
  if (!chain.skipping()) {
    if (auto head = verify_head(store, check); !head) return std::unexpected(head.error());
  }
  return check;
}

Result<void> run_sql(Store& store, std::string_view sql, std::string_view operation) {
  auto stmt = StoreAccess::statement(store, sql, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  return StoreAccess::run(store, use, operation);
}

Result<std::int64_t> read_integer(Store& store, std::string_view sql, std::string_view operation) {
  auto stmt = StoreAccess::statement(store, sql, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  if (use.step() != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return use.integer(0);
}

std::string marker_details(const std::string& key_id, const std::vector<LedgerBreak>& breaks) {
  boost::json::object details{{"key_id", key_id}};
  if (!breaks.empty()) {
    const LedgerBreak& first = breaks.front();
    details["after_break"] = {{"seq", first.seq},
                              {"problem", to_string(first.problem)},
                              {"message", first.message},
                              {"breaks", breaks.size()}};
  }
  return boost::json::serialize(details);
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

std::string ledger_hash(std::string_view prev_hash, std::int64_t seq, const LedgerEvent& event, const LedgerKey* key) {
  if (key != nullptr) return ledger_hmac_hex(*key, std::string(prev_hash) + ledger_canonical(seq, event));
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

bool LedgerCheck::current_whole() const { return unrecorded().empty(); }

std::vector<LedgerBreak> LedgerCheck::unrecorded() const {
  std::vector<LedgerBreak> out;
  for (const auto& b : breaks) {
    if (!b.recorded_at) out.push_back(b);
  }
  return out;
}

void use_ledger_key(Store& store, std::optional<LedgerKey> key) { StoreAccess::ledger_key(store) = std::move(key); }

Result<LedgerCheck> verify_ledger(Store& store, const std::optional<LedgerKey>& key) {
  // One transaction, so that the rows and the head are read as of one
  // moment: the caller's, or a read-only one of its own.
  if (StoreAccess::in_transaction(store)) return verify_in_transaction(store, key);
  if (auto begun = run_sql(store, kBeginRead, "verify_ledger: begin"); !begun) return std::unexpected(begun.error());
  auto check = verify_in_transaction(store, key);
  (void)run_sql(store, kEndRead, "verify_ledger: end");  // nothing was written
  return check;
}

Result<LedgerStart> start_ledger_segment(Store& store, const std::optional<LedgerKey>& key, Time now) {
  auto check = verify_ledger(store, key);
  if (!check) return std::unexpected(check.error());
  LedgerStart start{std::move(*check), std::nullopt, {}};
  start.new_breaks = start.check.unrecorded();
  const std::string key_id = key ? key->id : "";
  use_ledger_key(store, key);
  if (start.new_breaks.empty() && start.check.segments.back().key_id == key_id) return start;
  auto seq = append_ledger(store, LedgerEvent{now, std::nullopt, std::string(kSegmentMarker), "netwardend",
                                              marker_details(key_id, start.new_breaks)});
  if (!seq) return std::unexpected(seq.error());
  start.marker = *seq;
  return start;
}

Result<std::optional<LedgerRow>> last_ledger_row(Store& store, std::string_view type) {
  constexpr std::string_view operation = "last_ledger_row";
  auto stmt = StoreAccess::statement(store, kLastOfType, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  const std::string bound(type);  // bound without a copy: lives until the statement is reset
  use.bind(bound);
  std::optional<LedgerRow> row;
  auto walked = walk(store, use, operation, [&](const StatementUse& found) {
    row = read_row(found);
    return false;
  });
  if (!walked) return std::unexpected(walked.error());
  return row;
}

Result<LedgerHead> ledger_head(Store& store) {
  auto head = read_head(store, "ledger_head");
  if (!head) return std::unexpected(head.error());
  if (!*head) return fail("ledger_head: the ledger head row is missing (see verify)");
  return **head;
}

Result<std::vector<AnchorBreak>> check_ledger_anchors(Store& store, const std::vector<LedgerAnchor>& anchors) {
  constexpr std::string_view operation = "check_ledger_anchors";
  auto last = read_integer(store, kLastSeq, operation);
  if (!last) return std::unexpected(last.error());
  std::vector<AnchorBreak> breaks;
  for (const auto& anchor : anchors) {
    const std::string seq = "seq " + std::to_string(anchor.seq);
    if (anchor.seq > *last) {
      breaks.push_back(
          {anchor, seq + " is beyond the last row (" + std::to_string(*last) + "): the newest rows were deleted"});
      continue;
    }
    auto stmt = StoreAccess::statement(store, kRowHash, operation);
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    use.bind(anchor.seq);
    const int rc = use.step();
    if (rc == SQLITE_DONE) {
      breaks.push_back({anchor, seq + " is missing: rows were deleted"});
    } else if (rc != SQLITE_ROW) {
      return std::unexpected(StoreAccess::error(store, operation));
    } else if (use.text(0) != anchor.hash) {
      breaks.push_back({anchor, seq + " has hash " + use.text(0) + ", not the " + anchor.hash +
                                    " sent at the time: the ledger was rewritten from there on"});
    }
  }
  return breaks;
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
