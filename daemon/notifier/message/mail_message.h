// One e-mail as netwarden sends it, and its RFC 5322 / MIME form.
//
// render_rfc5322() produces the exact bytes the transports hand on and the
// outbox stores: CRLF line ends, 7-bit clean, every line at most 78
// characters. Non-ASCII display names and subjects become RFC 2047 UTF-8
// encoded-words split at character boundaries; the body is text/plain UTF-8
// in base64 (the texts are mostly Chinese, which base64 carries in 4/3 of
// its size where quoted-printable needs 3x, and base64 has no trailing-space
// or line-length pitfalls). Pure; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"

namespace netwarden {

struct MailAddress {
  std::string name;     // display name, UTF-8; may be empty
  std::string address;  // addr-spec, e.g. "liu.yang@example.edu.cn"
};

struct MailMessage {
  MailAddress from;
  MailAddress to;
  std::string subject;                  // UTF-8, one line
  Time date;                            // written in the process's local time zone with its offset
  std::string message_id;               // "<...@...>"
  std::string in_reply_to;              // "<...>" or empty
  std::vector<std::string> references;  // "<...>" each, thread root first
  // Further headers in order, e.g. {"X-Netwarden-Incident", "12"}: names
  // are ASCII field names; values are unstructured text, encoded when not
  // ASCII.
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::string body;  // UTF-8; "\n" or "\r\n" line ends
};

// The header that carries the ledger head a message was written after, and
// its value: "seq=12; hash=<64 hex digits>" (ctl/anchor_files.h reads it).
inline constexpr const char* kLedgerHeader = "X-Netwarden-Ledger";
std::string ledger_head_text(std::int64_t seq, std::string_view hash);

// The whole message. Control characters in names, subject and header values
// become spaces, and addresses and message ids lose any whitespace or
// control characters, so no input can add a header.
std::string render_rfc5322(const MailMessage& message);

// The Message-ID of one notification, deterministic in its inputs:
// "<netwarden.12.step-2.20261125T101500.123Z.liu_yang@example.edu.cn>". `at`
// is when it fell due (rendered in UTC to the millisecond); reasons read
// "step-2", "repeat-1", "warning-1h", "threshold", "harmful", "resolved"
// joined with '.'. Characters of `person` other than [A-Za-z0-9_-] and of `domain`
// other than [A-Za-z0-9.-] are written as "=XX" so the result is always a
// valid msg-id. One longer than 77 characters (so that it would not fit a
// header line) has all but "<netwarden.ID." replaced by a hash of it.
std::string notification_message_id(IncidentId incident, const std::vector<NotifyReason>& reasons, Time at,
                                    std::string_view person, std::string_view domain);

// The Message-ID of a message about the ledger itself, by the same rules:
// "<netwarden.ledger-checkpoint.20261125T101500.123Z.liu_yang@example.edu.cn>".
std::string ledger_message_id(std::string_view what, Time at, std::string_view person, std::string_view domain);

}  // namespace netwarden
