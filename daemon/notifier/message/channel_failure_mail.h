// The e-mail that tells the office a chat robot or webhook gave up on a
// delivery, so that a revoked robot key or a changed webhook does not go
// unnoticed while the chain's e-mails still arrive. Pure.
#pragma once

#include <cstdint>
#include <string>

#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/message/mail_message.h"

namespace netwarden {

struct ChannelFailure {
  std::int64_t row = 0;       // the outbox row given up on
  std::int64_t incident = 0;  // 0: not about an incident
  std::string channel;        // its [channels] id
  std::string recipient;      // who it was for: a person id, "unit ID" or "institution"
  std::string error;          // the last attempt's, with the provider's code
  Time at;
};

// To `recipient`, bilingual (Chinese first): which channel failed, for whom,
// the error, and what to check. Its Message-ID names the row, so that each
// failure is told once.
MailMessage channel_failure_mail(const ChannelFailure& failure, const Person& recipient, const MailSettings& settings);

}  // namespace netwarden
