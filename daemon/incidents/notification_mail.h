// Turning the incident engine's notifications into outbox rows (one
// rendered e-mail each), inside the store transaction that records the
// decisions that caused them: a notification is a row before anything is
// attempted, and a crash can lose neither.
//
// Runs on the store's writer thread; `config` and `templates` are only read.
#pragma once

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/notifier/message/mail_templates.h"

namespace netwarden {

class Store;

// One row per notification in `decisions` to a person whose channels
// include "email", addressed to the person's e-mail, threaded under the first message that person got about the
// incident, with the evidence the store holds for its target and the
// ledger head after the decisions' events (the caller has appended them).
Result<void> queue_notification_mails(Store& store, const Config& config, const MailTemplates& templates,
                                      const Decisions& decisions, Time now);

}  // namespace netwarden
