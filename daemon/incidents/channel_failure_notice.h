// The outbox rows that tell the office (or, without one, the people at the
// top of the chains, as for ledger notices) that a channel gave up on a
// delivery: written by the outbox drainer in the transaction that records
// the failure, so the notice is as durable as the failure.
#pragma once

#include <vector>

#include "config/config.h"
#include "daemon/notifier/message/channel_failure_mail.h"
#include "daemon/store/outbox.h"

namespace netwarden {

std::vector<OutboxMessage> channel_failure_notices(const Config& config, const ChannelFailure& failure);

}  // namespace netwarden
