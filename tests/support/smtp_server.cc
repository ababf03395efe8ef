#include "tests/support/smtp_server.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/support/free_port.h"
#include "tests/support/spawn.h"

namespace netwarden::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has python3-aiosmtpd
constexpr const char* kOpenssl = "/usr/bin/openssl";
// Another process may take a free_loopback_port() before the server binds
// it; the server then exits at start and is retried on a fresh port.
constexpr int kPortAttempts = 5;

std::string script_path() {
  const char* source_dir = std::getenv("NETWARDEN_SOURCE_DIR");
  return std::string(source_dir ? source_dir : ".") + "/tests/support/smtp_server.py";
}

}  // namespace

Result<std::unique_ptr<SmtpServer>> SmtpServer::start(const SmtpOptions& options) {
  std::unique_ptr<SmtpServer> server(new SmtpServer());
  std::string pattern = (fs::temp_directory_path() / "netwarden-smtp-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return fail("cannot create a temp dir for the SMTP server");
  server->dir_ = pattern;
  server->implicit_tls_ = options.implicit_tls;
  Result<void> launched = fail("no attempt");
  for (int attempt = 0; attempt < (options.port ? 1 : kPortAttempts); ++attempt) {
    launched = server->launch(options, options.port ? options.port : free_loopback_port());
    if (launched) return server;
  }
  return std::unexpected(launched.error());
}

Result<void> SmtpServer::launch(const SmtpOptions& options, int port) {
  if (port == 0) return fail("no free port on 127.0.0.1");
  port_ = port;
  mail_dir_ = dir_ + "/mail-" + std::to_string(port);
  fs::remove_all(mail_dir_);
  fs::create_directory(mail_dir_);
  std::vector<std::string> argv = {kPython, script_path(), "--port", std::to_string(port), "--dir", mail_dir_};
  if (!options.tls_cert.empty()) {
    argv.insert(argv.end(), {"--tls-cert", options.tls_cert, "--tls-key", options.tls_key});
  }
  if (options.require_starttls) argv.push_back("--require-starttls");
  if (options.implicit_tls) argv.push_back("--implicit-tls");
  if (!options.auth.empty()) argv.insert(argv.end(), {"--auth", options.auth});
  if (options.reject_recipients) argv.push_back("--reject-recipients");
  if (options.defer_data) argv.push_back("--defer-data");
  if (options.hold_reply.count() > 0) {
    argv.push_back("--hold-reply");
    argv.push_back(std::to_string(static_cast<double>(options.hold_reply.count()) / 1000.0));
  }
  auto pid = spawn(argv, dir_ + "/server.log");
  if (!pid) return std::unexpected(pid.error());
  pid_ = *pid;

  auto ready = wait_until_ready(
      pid_, "the SMTP server", [&] { return fs::exists(mail_dir_ + "/ready"); }, [&] { return log(); });
  if (!ready) stop();
  return ready;
}

SmtpServer::~SmtpServer() {
  stop();
  std::error_code ignored;
  if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

void SmtpServer::stop() { stop_child(pid_); }

std::string SmtpServer::relay() const {
  return std::string(implicit_tls_ ? "smtps" : "smtp") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> SmtpServer::files(const std::string& extension) const {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(mail_dir_, ec)) {
    if (e.path().extension() == extension) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());  // NNNNNN: arrival order
  return paths;
}

std::vector<std::string> SmtpServer::messages() const {
  std::vector<std::string> out;
  for (const std::string& path : files(".eml")) out.push_back(read_file(path));
  return out;
}

std::vector<SmtpEnvelope> SmtpServer::envelopes() const {
  std::vector<SmtpEnvelope> out;
  for (const std::string& eml : files(".eml")) {
    std::istringstream lines(read_file(fs::path(eml).replace_extension(".envelope").string()));
    SmtpEnvelope envelope;
    std::getline(lines, envelope.from);
    for (std::string line; std::getline(lines, line);) envelope.recipients.push_back(line);
    out.push_back(std::move(envelope));
  }
  return out;
}

std::string SmtpServer::log() const { return read_file(dir_ + "/server.log"); }

Result<TestCertificate> make_test_certificate(const std::string& directory) {
  TestCertificate cert{directory + "/cert.pem", directory + "/key.pem"};
  auto made = run({kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                   "-keyout", cert.key_path, "-out", cert.cert_path},
                  directory + "/openssl.log");
  if (!made) return std::unexpected(made.error());
  return cert;
}

}  // namespace netwarden::test
