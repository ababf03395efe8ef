// The marked test `netwardenctl test-notify` sends through a channel, so
// that the first real message is not the first message ever sent: in both
// languages, saying who asked for it and that nothing needs doing. Pure.
#pragma once

#include <string_view>

#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/message/chat_message.h"
#include "daemon/notifier/message/mail_message.h"

namespace netwarden {

ChatMessage test_chat(std::string_view actor, Time now);
MailMessage test_mail(const Person& recipient, const MailSettings& settings, std::string_view actor, Time now);

}  // namespace netwarden
