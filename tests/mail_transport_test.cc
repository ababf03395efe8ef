#include "daemon/notifier/transport/mail_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <regex>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tests/support/child_process.h"
#include "tests/support/free_port.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using test::SmtpOptions;
using test::SmtpServer;
using test::TempDir;

using SteadyClock = std::chrono::steady_clock;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, const std::string& text,
                fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  fs::permissions(path, mode);
}

// Lines starting with '.' are dot-stuffed on the wire and must come back
// unchanged.
OutgoingMail sample_mail(const std::string& id = "<incident-7.step-2.zhang@netwarden.example.edu.cn>") {
  OutgoingMail mail;
  mail.message_id = id;
  mail.envelope_from = "netwarden@example.edu.cn";
  mail.to = {"zhang@example.edu.cn"};
  mail.data = "Message-ID: " + id + "\r\n";
  mail.data +=
      "From: netwarden <netwarden@example.edu.cn>\r\n"
      "To: zhang@example.edu.cn\r\n"
      "Subject: =?UTF-8?B?44CQ572R57uc5a6J5YWo5LqL5Lu244CR?=\r\n"
      "Date: Sun, 22 Nov 2026 21:46:23 +0800\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n"
      "The portal has been down since 19:36.\r\n"
      ".\r\n"
      "..two dots\r\n"
      "netwardenctl ack 7\r\n";
  return mail;
}

Result<std::unique_ptr<MailTransport>> make(const MailSettings& settings,
                                            const std::string& state_dir = "/nonexistent") {
  return make_mail_transport(settings, state_dir);
}

// ---------------------------------------------------------------------------
// smtp

MailSettings smtp_settings(std::vector<std::string> relays) {
  MailSettings s;
  s.transport = "smtp";
  s.from = "netwarden@example.edu.cn";
  s.relays = std::move(relays);
  s.starttls = false;
  s.connect_timeout = seconds(2);
  s.timeout = seconds(10);
  return s;
}

// A relay on a port nobody listens on.
std::string closed_relay() { return "smtp://127.0.0.1:" + std::to_string(test::free_loopback_port()); }

class SmtpTransportTest : public ::testing::Test {
 protected:
  std::unique_ptr<SmtpServer> start(const SmtpOptions& options = {}) {
    auto server = SmtpServer::start(options);
    EXPECT_TRUE(server) << server.error().message;
    return server ? std::move(*server) : nullptr;
  }

  // STARTTLS + AUTH settings for `server`, trusting the test certificate.
  MailSettings tls_settings(const SmtpServer& server, const std::string& password) {
    MailSettings s = smtp_settings({server.relay()});
    s.starttls = true;
    s.ca_file = cert_.cert_path;
    s.username = "netwarden";
    s.password_file = dir_.file("smtp-password");
    write_file(s.password_file, password + "\n");
    return s;
  }

  SmtpOptions tls_options(bool implicit = false) {
    return SmtpOptions{.tls_cert = cert_.cert_path,
                       .tls_key = cert_.key_path,
                       .require_starttls = !implicit,
                       .implicit_tls = implicit,
                       .auth = "netwarden:s3cret pass"};
  }

  void SetUp() override {
    auto cert = test::make_test_certificate(dir_.path().string());
    ASSERT_TRUE(cert) << cert.error().message;
    cert_ = *cert;
  }

  TempDir dir_{"netwarden-mail"};
  test::TestCertificate cert_;
};

TEST_F(SmtpTransportTest, DeliversTheMessageUnchanged) {
  auto server = start();
  ASSERT_TRUE(server);
  auto transport = make(smtp_settings({server->relay()}));
  ASSERT_TRUE(transport) << transport.error().message;
  EXPECT_EQ((*transport)->describe(), "smtp via " + server->relay());
  const OutgoingMail mail = sample_mail();

  auto sent = (*transport)->send(mail);
  ASSERT_TRUE(sent) << sent.error().message << "\n" << server->log();
  ASSERT_EQ(server->messages(), std::vector<std::string>{mail.data});
  const auto envelopes = server->envelopes();
  ASSERT_EQ(envelopes.size(), 1u);
  EXPECT_EQ(envelopes[0].from, "netwarden@example.edu.cn");
  EXPECT_EQ(envelopes[0].recipients, std::vector<std::string>{"zhang@example.edu.cn"});
}

TEST_F(SmtpTransportTest, StartTlsAndAuthWithATrustedCertificate) {
  auto server = start(tls_options());
  ASSERT_TRUE(server);
  auto transport = make(tls_settings(*server, "s3cret pass"));  // the file's trailing newline is not part of it
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_TRUE(sent) << sent.error().message << "\n" << server->log();
  EXPECT_EQ(server->messages().size(), 1u);
}

TEST_F(SmtpTransportTest, SmtpsSpeaksTlsFromTheFirstByte) {
  auto server = start(tls_options(true));
  ASSERT_TRUE(server);
  ASSERT_TRUE(server->relay().starts_with("smtps://"));
  auto transport = make(tls_settings(*server, "s3cret pass"));
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_TRUE(sent) << sent.error().message << "\n" << server->log();
  EXPECT_EQ(server->messages().size(), 1u);
}

// 535 is a 5xx reply, but the account is at fault, not the message: the
// message stays queued and is retried until the password file is fixed.
TEST_F(SmtpTransportTest, WrongPasswordIsATransientFailureThatHidesThePassword) {
  auto server = start(tls_options());
  ASSERT_TRUE(server);
  auto transport = make(tls_settings(*server, "wrong-horse"));
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find(server->relay()), std::string::npos) << sent.error().message;
  EXPECT_NE(sent.error().message.find("535"), std::string::npos) << sent.error().message;
  EXPECT_EQ(sent.error().message.find("wrong-horse"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(server->messages().empty());
}

TEST_F(SmtpTransportTest, UntrustedCertificateFailsNamingTls) {
  auto server = start(tls_options());
  ASSERT_TRUE(server);
  MailSettings settings = tls_settings(*server, "s3cret pass");
  settings.ca_file.clear();  // the system store does not know the test certificate
  auto transport = make(settings);
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find("TLS failed: SSL certificate problem"), std::string::npos)
      << sent.error().message;
  EXPECT_TRUE(server->messages().empty());

  settings.tls_verify = false;  // what an administrator may choose for a broken certificate
  auto unverified = make(settings);
  ASSERT_TRUE(unverified) << unverified.error().message;
  auto sent_anyway = (*unverified)->send(sample_mail());
  EXPECT_TRUE(sent_anyway) << sent_anyway.error().message;
}

TEST_F(SmtpTransportTest, RequiredStartTlsThatTheServerDoesNotOfferFails) {
  auto server = start();
  ASSERT_TRUE(server);
  MailSettings settings = smtp_settings({server->relay()});
  settings.starttls = true;
  auto transport = make(settings);
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find("TLS failed: STARTTLS not"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(server->messages().empty());
}

TEST_F(SmtpTransportTest, RejectedRecipientIsPermanentAndStopsAtThatRelay) {
  auto rejecting = start({.reject_recipients = true});
  auto spare = start();
  ASSERT_TRUE(rejecting && spare);
  auto transport = make(smtp_settings({rejecting->relay(), spare->relay()}));
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_TRUE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find(rejecting->relay()), std::string::npos) << sent.error().message;
  EXPECT_NE(sent.error().message.find("(last reply 550)"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(spare->messages().empty());
}

TEST_F(SmtpTransportTest, DeferredMessageIsTransientAndTheNextRelayTakesIt) {
  auto deferring = start({.defer_data = true});
  auto spare = start();
  ASSERT_TRUE(deferring && spare);
  auto alone = make(smtp_settings({deferring->relay()}));
  ASSERT_TRUE(alone) << alone.error().message;
  auto deferred = (*alone)->send(sample_mail());
  ASSERT_FALSE(deferred);
  EXPECT_FALSE(deferred.error().permanent);
  EXPECT_NE(deferred.error().message.find("(last reply 451)"), std::string::npos) << deferred.error().message;

  auto both = make(smtp_settings({deferring->relay(), spare->relay()}));
  ASSERT_TRUE(both) << both.error().message;
  auto sent = (*both)->send(sample_mail());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(deferring->messages().empty());
  EXPECT_EQ(spare->messages().size(), 1u);
}

TEST_F(SmtpTransportTest, RelayThatIsDownIsSkipped) {
  auto server = start();
  ASSERT_TRUE(server);
  auto transport = make(smtp_settings({closed_relay(), server->relay()}));
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(server->messages().size(), 1u);
}

TEST_F(SmtpTransportTest, AllRelaysDownIsATransientFailureNamingEach) {
  const std::string first = closed_relay(), second = closed_relay();
  auto transport = make(smtp_settings({first, second}));
  ASSERT_TRUE(transport) << transport.error().message;
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find(first + ": "), std::string::npos) << sent.error().message;
  EXPECT_NE(sent.error().message.find("; " + second + ": "), std::string::npos) << sent.error().message;
}

// A listening socket whose accept queue is full: the kernel drops further
// SYNs, so a client's connect hangs as with a relay behind a black hole.
class BlackHole {
 public:
  BlackHole() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), len);
    listen(fd_, 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    for (int& filler : fillers_) {
      filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
  }
  ~BlackHole() {
    for (int filler : fillers_) close(filler);
    close(fd_);
  }
  std::string relay() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  int fillers_[2] = {-1, -1};
};

TEST_F(SmtpTransportTest, UnreachableRelayFailsWithinTheConnectTimeout) {
  BlackHole hole;
  MailSettings settings = smtp_settings({hole.relay()});
  settings.connect_timeout = milliseconds(300);
  auto transport = make(settings);
  ASSERT_TRUE(transport) << transport.error().message;
  const auto started = SteadyClock::now();
  auto sent = (*transport)->send(sample_mail());
  const auto took = SteadyClock::now() - started;
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_NE(sent.error().message.find("Timeout was reached"), std::string::npos) << sent.error().message;
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, seconds(3));
}

TEST_F(SmtpTransportTest, PasswordFileProblemsAreStartErrorsWithoutTheContent) {
  MailSettings settings = smtp_settings({"smtp://127.0.0.1:25"});
  settings.username = "netwarden";
  settings.password_file = dir_.file("missing");
  auto missing = make(settings);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "cannot read the SMTP password file " + settings.password_file + ": No such file or directory");

  settings.password_file = dir_.file("empty");
  write_file(settings.password_file, "\n");
  auto empty = make(settings);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "the SMTP password file " + settings.password_file + " is empty");
}

// ---------------------------------------------------------------------------
// sendmail

class SendmailTransportTest : public ::testing::Test {
 protected:
  // A stand-in for /usr/sbin/sendmail running `body` after recording its
  // arguments and (unless told not to) its input in the temp dir.
  MailSettings stand_in(const std::string& body, bool read_input = true) {
    const std::string script = dir_.file("sendmail");
    std::string text = "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir_.file("argv") + "\n";
    if (read_input) text += "cat > " + dir_.file("stdin") + "\n";
    write_file(script, text + body + "\n", fs::perms::owner_all);
    MailSettings s;
    s.transport = "sendmail";
    s.from = "netwarden@example.edu.cn";
    s.sendmail = script;
    s.timeout = seconds(10);
    return s;
  }

  std::expected<void, SendFailure> send(const MailSettings& settings, const OutgoingMail& mail = sample_mail()) {
    auto transport = make(settings);
    EXPECT_TRUE(transport) << transport.error().message;
    if (!transport) return std::unexpected(SendFailure{"not made", false});
    return (*transport)->send(mail);
  }

  TempDir dir_{"netwarden-sendmail"};
};

TEST_F(SendmailTransportTest, PipesTheMessageWithLocalLineEnds) {
  MailSettings settings = stand_in("exit 0");
  auto transport = make(settings);
  ASSERT_TRUE(transport) << transport.error().message;
  EXPECT_EQ((*transport)->describe(), "sendmail via " + settings.sendmail + " -t -i");
  const OutgoingMail mail = sample_mail();
  auto sent = (*transport)->send(mail);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(read_file(dir_.file("argv")), "-t\n-i\n");
  std::string expected = mail.data;
  for (std::size_t at; (at = expected.find("\r\n")) != std::string::npos;) expected.erase(at, 1);
  EXPECT_EQ(read_file(dir_.file("stdin")), expected);
}

TEST_F(SendmailTransportTest, TemporaryFailureIsTransientAndQuotesTheProgram) {
  auto sent = send(stand_in("echo 'sendmail: queue directory is full' >&2; exit 75"));
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_EQ(sent.error().message,
            "sendmail " + dir_.file("sendmail") + " exited with status 75: sendmail: queue directory is full");
}

TEST_F(SendmailTransportTest, UnknownUserOrBadDataIsPermanent) {
  for (int status : {65, 67}) {
    auto sent = send(stand_in("exit " + std::to_string(status)));
    ASSERT_FALSE(sent);
    EXPECT_TRUE(sent.error().permanent) << status;
    EXPECT_EQ(sent.error().message,
              "sendmail " + dir_.file("sendmail") + " exited with status " + std::to_string(status));
  }
}

TEST_F(SendmailTransportTest, OutputInTheMessageIsBounded) {
  auto sent = send(stand_in("head -c 100000 /dev/zero | tr '\\0' x >&2; exit 1"));
  ASSERT_FALSE(sent);
  EXPECT_LT(sent.error().message.size(), 4096u + 200u);
  EXPECT_NE(sent.error().message.find("status 1: xxxx"), std::string::npos);
}

// A program that exits 0 without reading its input may have sent half a
// message.
TEST_F(SendmailTransportTest, ProgramThatStopsReadingIsAFailedAttempt) {
  OutgoingMail big = sample_mail();
  big.data += std::string(4 * 1024 * 1024, 'x') + "\r\n";
  auto sent = send(stand_in("exit 0", false), big);
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_EQ(sent.error().message, "sendmail " + dir_.file("sendmail") + " exited before reading the whole message");
}

// The whole message is in the program's input before it starts, so a
// daemon killed meanwhile cannot cut it short (the program would send
// what it got as if complete).
TEST_F(SendmailTransportTest, TheWholeMessageWaitsInTheProgramsInputFromTheStart) {
  OutgoingMail big = sample_mail();
  big.data += std::string(1024 * 1024, 'x') + "\r\n";
  ASSERT_TRUE(send(stand_in("stat -L -c %s /dev/stdin > " + dir_.file("size")), big));
  const std::string lf = std::regex_replace(big.data, std::regex("\r\n"), "\n");
  EXPECT_EQ(read_file(dir_.file("size")), std::to_string(lf.size()) + "\n");
}

bool process_gone(pid_t pid) {
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  // Gone, or a zombie that is not ours to reap (an orphan of the killed group).
  return stat.empty() || stat.find(") Z ") != std::string::npos;
}

TEST_F(SendmailTransportTest, HangingProgramIsKilledAndReaped) {
  MailSettings settings =
      stand_in("echo $$ > " + dir_.file("pid") + "\nsleep 30 &\necho $! > " + dir_.file("helper") + "\nwait");
  settings.timeout = milliseconds(500);
  const auto started = SteadyClock::now();
  auto sent = send(settings);
  const auto took = SteadyClock::now() - started;
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_EQ(sent.error().message, "sendmail " + settings.sendmail + " did not finish within 500ms and was killed");
  EXPECT_GE(took, milliseconds(450));
  EXPECT_LT(took, seconds(5));

  const pid_t pid = std::stoi(read_file(dir_.file("pid")));
  EXPECT_EQ(kill(pid, 0), -1) << "the child is still there (a zombie?)";
  EXPECT_EQ(errno, ESRCH);
  int status = 0;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1) << "an unreaped child";
  EXPECT_EQ(errno, ECHILD);
  // The helper it started was in its process group and went with it.
  const pid_t helper = std::stoi(read_file(dir_.file("helper")));
  for (int i = 0; i < 200 && !process_gone(helper); ++i) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(process_gone(helper));
}

TEST_F(SendmailTransportTest, MissingProgramIsAStartError) {
  MailSettings settings = stand_in("exit 0");
  settings.sendmail = dir_.file("no-such-sendmail");
  auto transport = make(settings);
  ASSERT_FALSE(transport);
  EXPECT_EQ(transport.error().message, "cannot run sendmail " + settings.sendmail + ": No such file or directory");
}

// ---------------------------------------------------------------------------
// spool

MailSettings spool_settings(const std::string& dir) {
  MailSettings s;
  s.spool_dir = dir;
  return s;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SpoolTransportTest, WritesAnRfc5322FileNamedAfterTheMessageId) {
  TempDir dir("netwarden-spool");
  const std::string spool = (dir.path() / "spool").string();
  auto transport = make(spool_settings(spool));
  ASSERT_TRUE(transport) << transport.error().message;
  EXPECT_EQ((*transport)->describe(), "spool into " + spool);
  const OutgoingMail mail = sample_mail();
  ASSERT_TRUE((*transport)->send(mail));

  const std::string name = "incident-7.step-2.zhang@netwarden.example.edu.cn.eml";
  ASSERT_EQ(names_in(spool), std::vector<std::string>{name});
  EXPECT_EQ(read_file(fs::path(spool) / name), mail.data);
  // Python's e-mail parser, strict policy: no defects, headers decoded.
  test::Finished parsed = test::run_program(
      {"/usr/bin/python3", "-c",
       "import email, email.policy, sys\n"
       "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.strict)\n"
       "print(m['Message-ID'], m['Subject'], len(m.defects), m.get_content().splitlines()[0], sep='|')\n",
       (fs::path(spool) / name).string()});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out,
            "<incident-7.step-2.zhang@netwarden.example.edu.cn>|【网络安全事件】|0|The portal has been down since "
            "19:36.\n");
}

TEST(SpoolTransportTest, ResendingAMessageReplacesItsFile) {
  TempDir dir("netwarden-spool");
  auto transport = make(spool_settings(dir.path().string()));
  ASSERT_TRUE(transport) << transport.error().message;
  OutgoingMail mail = sample_mail("<a/b c@x>");
  ASSERT_TRUE((*transport)->send(mail));
  mail.data += "resent\r\n";
  ASSERT_TRUE((*transport)->send(mail));
  ASSERT_EQ(names_in(dir.path()), std::vector<std::string>{"a_b_c@x.eml"});  // no temporary file left either
  EXPECT_EQ(read_file(dir.path() / "a_b_c@x.eml"), mail.data);
}

TEST(SpoolTransportTest, DefaultDirectoryIsCreatedUnderTheStateDirectory) {
  TempDir dir("netwarden-spool");
  auto transport = make(MailSettings{}, (dir.path() / "state").string());
  ASSERT_TRUE(transport) << transport.error().message;
  const fs::path spool = dir.path() / "state" / "mail-spool";
  ASSERT_TRUE(fs::is_directory(spool));
  EXPECT_EQ(fs::status(spool).permissions() & fs::perms::all,
            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  ASSERT_TRUE((*transport)->send(sample_mail("<m@x>")));
  EXPECT_TRUE(fs::exists(spool / "m@x.eml"));
}

TEST(SpoolTransportTest, UnusableDirectoryIsAnError) {
  TempDir dir("netwarden-spool");
  write_file(dir.path() / "file", "");
  auto blocked = make(spool_settings((dir.path() / "file" / "spool").string()));
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().message,
            "cannot create the mail spool " + (dir.path() / "file" / "spool").string() + ": Not a directory");

  const fs::path spool = dir.path() / "spool";
  auto transport = make(spool_settings(spool.string()));
  ASSERT_TRUE(transport) << transport.error().message;
  fs::remove(spool);
  auto sent = (*transport)->send(sample_mail());
  ASSERT_FALSE(sent);
  EXPECT_FALSE(sent.error().permanent);
  EXPECT_EQ(sent.error().message,
            "spool " + spool.string() + ": cannot create a file in " + spool.string() + ": No such file or directory");
}

TEST(MailTransportTest, UnknownTransportIsAnError) {
  MailSettings settings;
  settings.transport = "pigeon";
  auto transport = make(settings);
  ASSERT_FALSE(transport);
  EXPECT_EQ(transport.error().message, "unknown mail transport \"pigeon\"");
}

}  // namespace
}  // namespace netwarden
