// The human-readable forms of the daemon's command results. Each fails when
// the result lacks the shape the command promises (a daemon of another
// version, say), naming what is missing.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "common/result.h"

namespace netwarden {

// `status`: version, uptime, target counts, checks and store backlog.
Result<std::string> status_text(const boost::json::value& result);

// `targets`: one row per target with its latest verdict.
Result<std::string> targets_text(const boost::json::value& result);

// `incidents`: one row per incident (open ones, or all with --all).
Result<std::string> incidents_text(const boost::json::value& result);

// `show`: one incident and its timeline from the ledger.
Result<std::string> show_text(const boost::json::value& result);

// `ack`, `resolve`, `approve`: what was recorded, and as whom.
Result<std::string> change_text(const boost::json::value& result);

// `crawl`: whether a crawl of the target started, and where it is.
Result<std::string> crawl_text(const boost::json::value& result);

// `test-notify`: each channel and what its far end answered; an Error
// holding that table when one failed, so netwardenctl exits 1.
Result<std::string> test_notify_text(const boost::json::value& result);

// `maintenance`: the window just declared, or the windows not yet over.
Result<std::string> maintenance_text(const boost::json::value& result);

// `verify`: the ledger's hash chain. A broken ledger is an Error naming the
// first broken entry, so netwardenctl exits 1.
Result<std::string> verify_text(const boost::json::value& result);

}  // namespace netwarden
