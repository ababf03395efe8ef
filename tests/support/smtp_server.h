// SmtpServer: a real SMTP server (python3-aiosmtpd, tests/support/smtp_server.py)
// on 127.0.0.1 for tests, recording every message it accepts.
//
//   auto smtp = SmtpServer::start({});
//   ASSERT_TRUE(smtp) << smtp.error().message;
//   ... send to (*smtp)->relay() ...
//   EXPECT_EQ((*smtp)->messages().size(), 1u);
//
// Options make it offer STARTTLS (optionally required) or speak TLS from
// the start, require AUTH PLAIN/LOGIN, refuse every recipient with 550 or
// defer every message with 451. start() returns once the port accepts
// connections; the destructor stops the server and removes its directory.
// Received messages stay readable after stop(). Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace netwarden::test {

struct SmtpOptions {
  // 0: a free port. Set it to start a server again on a port a previous one
  // used (a relay that comes back).
  int port = 0;
  std::string tls_cert{};  // PEM certificate and key: offer TLS
  std::string tls_key{};
  bool require_starttls = false;   // with tls_cert: refuse mail before STARTTLS
  bool implicit_tls = false;       // with tls_cert: smtps, TLS from the first byte instead of STARTTLS
  std::string auth{};              // "user:password": AUTH required (after TLS when TLS is on)
  bool reject_recipients = false;  // "550 5.1.1" to every RCPT TO
  bool defer_data = false;         // "451 4.3.0" at the end of every DATA
  // Saves each message, then waits this long before the "250" that tells
  // the client it was taken.
  std::chrono::milliseconds hold_reply{0};
};

struct SmtpEnvelope {
  std::string from;                     // MAIL FROM address
  std::vector<std::string> recipients;  // RCPT TO addresses, in order
};

class SmtpServer {
 public:
  static Result<std::unique_ptr<SmtpServer>> start(const SmtpOptions& options);
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  // "smtp://127.0.0.1:PORT", or smtps:// with implicit_tls.
  std::string relay() const;
  // The raw bytes of each accepted message (after DATA, dot-unstuffed),
  // in arrival order.
  std::vector<std::string> messages() const;
  // The envelope of each message, in the same order.
  std::vector<SmtpEnvelope> envelopes() const;
  // Stops the server (its port refuses connections afterwards). Idempotent.
  void stop();
  std::string log() const;  // the server's output, for failure messages

 private:
  SmtpServer() = default;
  Result<void> launch(const SmtpOptions& options, int port);
  std::vector<std::string> files(const std::string& extension) const;

  std::string dir_;
  std::string mail_dir_;
  bool implicit_tls_ = false;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A fresh self-signed certificate for "localhost" and 127.0.0.1, made with
// the openssl CLI in `directory`: cert.pem (also usable as a CA file) and
// key.pem.
struct TestCertificate {
  std::string cert_path;
  std::string key_path;
};
Result<TestCertificate> make_test_certificate(const std::string& directory);

}  // namespace netwarden::test
