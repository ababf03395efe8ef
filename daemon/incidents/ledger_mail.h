// Messages about the ledger itself (notifier/message/ledger_message.h), as
// outbox rows: the daily checkpoint and the alarm when start-up finds the
// ledger broken. They go through the same durable outbox as notifications,
// with incident id 0 (they are about no incident).
//
// Who gets them: the institution's cyber-security office
// ([institution] office). A configuration that names no office sends them
// to the top of every chain instead: the people of each chain's last step
// and the institution roles it names (its unit roles resolve only for a
// target, so they add nobody).
//
// Run on the store's writer thread (or before it starts); `config` is only read.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/message/ledger_message.h"

namespace netwarden {

class Store;

// Person ids, each once, in config order.
std::vector<std::string> ledger_recipients(const Config& config);

// Queues `notice` to every recipient with the store's current ledger head
// (notice.seq and hash are filled in); returns how many rows were queued.
Result<std::size_t> queue_ledger_notice(Store& store, const Config& config, LedgerNotice notice);

// Once per day (in the process's local time zone): when no checkpoint was
// recorded today and the ledger has grown since the last one (else that
// one still pins the head), queues the checkpoint message and records a "checkpoint"
// ledger event with the head it carries and the count of events since the
// previous checkpoint, in one transaction. Returns whether it did.
Result<bool> queue_daily_checkpoint(Store& store, const Config& config, Time now);

}  // namespace netwarden
