// Turning the incident engine's notifications into outbox rows for the
// channels other than e-mail ([channels]), in the same store transaction
// as the decisions and the e-mails (notification_mail.h):
//   - each person told gets one message per channel of theirs besides
//     "email" (notification_channels.h), in their language, an SMS to
//     their mobile;
//   - each incident told about in the decision gets ONE message, in
//     Chinese and English, on each channel of its owning unit and of
//     [institution] - group robots are read by many, so once per decision,
//     not once per person.
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

Result<void> queue_notification_chats(Store& store, const Config& config, const MailTemplates& templates,
                                      const Decisions& decisions, Time now);

}  // namespace netwarden
