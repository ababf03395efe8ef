// The ledger's verification as one JSON report, shared by the `verify`
// control command and `netwardend --verify-ledger` (which prints it with
// netwardenctl's verify view), so a daemon and an auditor see the same.
//
// Report fields: "intact" (no break in the chain and no anchor that
// disagrees), "entries", "last_seq", "last_hash", "keyed" (a key was used),
// "key_id", "current_segment_whole", "broken" (the first break: seq,
// message), "breaks" (every break: seq, problem, message, recorded_at: the
// marker's seq or null), "segments" (first_seq, last_seq, key_id, checked,
// whole) and "anchors" (checked, breaks: seq, hash, source, message).
// Runs on the thread that owns the Store.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "common/result.h"
#include "daemon/store/ledger.h"

namespace netwarden {

class Store;

// The anchors of a request: [{"seq": N, "hash": HEX, "source": TEXT}]; an
// Error names the first entry of the wrong shape.
Result<std::vector<LedgerAnchor>> anchors_from_json(const boost::json::array& anchors);

// Verifies the chain with `key` and checks `anchors` against it.
Result<boost::json::object> ledger_report(Store& store, const std::optional<LedgerKey>& key,
                                          const std::vector<LedgerAnchor>& anchors);

}  // namespace netwarden
