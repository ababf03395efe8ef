// How a finished e-mail leaves this host: an SMTP relay, the local sendmail
// program, or a spool directory of .eml files ([mail] transport).
//
// send() blocks until the message is handed on or the attempt failed, bounded
// by the configured timeouts; the outbox drainer calls it from its own thread,
// never from the io thread. A transport keeps no queue of its own: the outbox
// is the queue, and a failed attempt is retried from there.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/notifier/transport/send_failure.h"

namespace netwarden {

struct OutgoingMail {
  std::string message_id;       // "<...@domain>", as in the message's header
  std::string envelope_from;    // bare address
  std::vector<std::string> to;  // bare addresses (envelope recipients)
  std::string data;             // the whole RFC 5322 message, CRLF line ends
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual std::expected<void, SendFailure> send(const OutgoingMail& mail) = 0;
  // One line for logs and `status`, e.g. "smtp via smtp://mail.example.edu.cn:587".
  virtual std::string describe() const = 0;
};

// This host's name ("localhost" when it has none): the EHLO name, and what
// messages about this host call it.
std::string local_host_name();

// The transport [mail] asks for. Fails when it cannot work at all (the
// password file is unreadable, the spool directory cannot be created).
// `state_dir` anchors the default spool directory.
Result<std::unique_ptr<MailTransport>> make_mail_transport(const MailSettings& settings, const std::string& state_dir);

}  // namespace netwarden
