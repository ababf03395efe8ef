// The messages about the ledger itself, to the cyber-security office: the
// daily checkpoint (the ledger head and how many events were recorded since
// the last one) and the alarm when the daemon finds the ledger broken at
// start-up. Each carries the head in the X-Netwarden-Ledger header like
// every notification, so it is an anchor too. Pure.
#pragma once

#include <cstdint>
#include <string>

#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/message/mail_message.h"

namespace netwarden {

struct LedgerNotice {
  enum class Kind { checkpoint, broken };
  Kind kind = Kind::checkpoint;
  Time now;
  std::int64_t seq = 0;  // the head when written
  std::string hash;
  std::int64_t events = 0;  // checkpoint: events recorded since the previous checkpoint
  std::string problem;      // broken: what start-up found, "seq 3: ..."
};

// "checkpoint" or "broken", as the Message-ID names it.
std::string_view ledger_notice_name(LedgerNotice::Kind kind);

// In the recipient's language(s), as compose_mail() words notifications.
MailMessage compose_ledger_mail(const LedgerNotice& notice, const Person& recipient, const MailSettings& settings,
                                std::string message_id);

}  // namespace netwarden
