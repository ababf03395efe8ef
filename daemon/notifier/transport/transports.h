// The three MailTransport implementations behind make_mail_transport().
// Internal to daemon/notifier/transport; each is described in its .cc file.
#pragma once

#include <memory>
#include <string>

#include "daemon/notifier/transport/mail_transport.h"

namespace netwarden::transport_detail {

// Reads the password file now, so a missing password is a start-up error.
Result<std::unique_ptr<MailTransport>> make_smtp_transport(const MailSettings& settings);
Result<std::unique_ptr<MailTransport>> make_sendmail_transport(const MailSettings& settings);
// Creates `directory` (mode 0750) when it does not exist.
Result<std::unique_ptr<MailTransport>> make_spool_transport(const std::string& directory);

}  // namespace netwarden::transport_detail
