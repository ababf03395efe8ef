// ReceivedMail: a message the test relay (smtp_server.h) took, as a mail
// client shows it: headers and body decoded by Python's email package
// (modern policy), which undoes base64, quoted-printable and RFC 2047
// encoded words. Tests then look for the words a reader would see instead
// of matching the wire encoding.
#pragma once

#include <string>
#include <vector>

namespace netwarden::test {

struct ReceivedMail {
  std::string to;        // the To address
  std::string subject;   // decoded
  std::string incident;  // X-Netwarden-Incident, "" when absent
  std::string body;      // the decoded text, "\n" line ends
  int defects = 0;       // what the parser found wrong in the message or a header
};

// Every raw message (RFC 5322 bytes, as SmtpServer::messages() returns
// them) decoded, in the same order. A message Python cannot read is a gtest
// failure and comes back empty.
std::vector<ReceivedMail> read_mails(const std::vector<std::string>& raw);

}  // namespace netwarden::test
