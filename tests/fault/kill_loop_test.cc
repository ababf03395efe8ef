// kill -9 while e-mails are being delivered, again and again, for each
// transport: every message in the outbox reaches its recipient, none is
// lost, and each kill causes at most one duplicate (the message in flight,
// sent again at start with the same Message-ID).
//
// The site is down on chain "r": the operator is told at once and again
// every second, so a delivery is nearly always in progress. The relay (or
// the stand-in sendmail) keeps each message, then waits before saying so:
// a kill in that gap leaves a message delivered but not recorded as sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/fault/fault_fixture.h"
#include "tests/support/child_process.h"

namespace netwarden::test {
namespace {

using namespace std::chrono_literals;

constexpr int kKills = 8;

// The messages saved as *.eml in `directory`.
std::vector<std::string> eml_files(const std::string& directory) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(directory, ec)) {
    if (e.path().extension() != ".eml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

class KillLoopTest : public FaultTest {
 protected:
  // Runs the loop; `delivered` lists the raw messages that reached the far
  // side so far (a copy each time one arrived).
  void kill_while_delivering(const std::string& transport, const std::function<std::vector<std::string>()>& delivered);
};

void KillLoopTest::kill_while_delivering(const std::string& transport,
                                         const std::function<std::vector<std::string>()>& delivered) {
  start_daemon();
  ASSERT_TRUE(wait([&] { return checked(); })) << daemon_.log();
  take_site_down();
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();

  for (int kill = 0; kill < kKills; ++kill) {
    const std::size_t before = delivered().size();
    ASSERT_TRUE(wait([&] { return delivered().size() > before; }, 20s)) << "kill " << kill << "\n" << daemon_.log();
    // Varied moments: at once, inside the held reply, just after it.
    std::this_thread::sleep_for(kill * 90ms);
    daemon_.kill9();
    start_daemon();
  }

  // Acknowledged, the repeats stop; what is owed goes out.
  ASSERT_TRUE(wait([&] {
    return daemon_.ctl({"ack", ids[0], "--note", "seen"}).exit_code == 0;
  })) << daemon_.ctl({"ack", ids[0], "--note", "seen"}).err
      << daemon_.log();
  ASSERT_TRUE(wait(
      [&] {
        std::istringstream lines(sql("SELECT message_id FROM outbox WHERE state = 'sent'"));
        std::set<std::string> sent;
        for (std::string id; std::getline(lines, id);) sent.insert(id);
        if (number("SELECT count(*) FROM outbox WHERE state != 'sent'") != 0) return false;
        for (const auto& [id, n] : copies_by_message_id(delivered())) {
          if (!sent.contains(id)) return false;
        }
        return true;
      },
      30s))
      << sql("SELECT id, state, attempts, last_error FROM outbox WHERE state != 'sent'") << daemon_.log();

  const auto copies = copies_by_message_id(delivered());
  std::istringstream outbox(sql("SELECT message_id FROM outbox ORDER BY id"));
  int rows = 0, lost = 0, duplicates = 0;
  for (std::string id; std::getline(outbox, id); ++rows) {
    if (!copies.contains(id)) {
      ++lost;
      ADD_FAILURE() << "lost: " << id;
    }
  }
  for (const auto& [id, n] : copies) duplicates += n - 1;
  std::cout << transport << ": " << kKills << " kills, " << rows << " outbox rows, " << copies.size() << " delivered, "
            << lost << " lost, " << duplicates << " duplicates\n";
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(copies.size(), static_cast<std::size_t>(rows)) << "a delivery that is not in the outbox";
  EXPECT_LE(duplicates, kKills);
  Finished verify = daemon_.ctl({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(KillLoopTest, SmtpLosesNothingAndDuplicatesAtMostOncePerKill) {
  write_config("r", mail_to_relay({.hold_reply = 400ms}));
  kill_while_delivering("smtp", [&] { return smtp_->messages(); });
}

TEST_F(KillLoopTest, SendmailLosesNothingAndDuplicatesAtMostOncePerKill) {
  const std::string received = dir_.file("sendmail-received");
  std::filesystem::create_directory(received);
  const std::string sendmail = dir_.file("sendmail");
  // A slow sendmail -t -i: keeps the message, then takes 0.4 s to exit 0.
  std::ofstream(sendmail) << "#!/bin/sh\nf=$(mktemp " + received + "/incoming.XXXXXX)\n"
                          << "cat > \"$f\" && mv \"$f\" \"$f.eml\" && sleep 0.4\n";
  std::filesystem::permissions(sendmail, std::filesystem::perms::owner_all);
  write_config("r", "[mail]\ntransport = \"sendmail\"\nsendmail = \"" + sendmail +
                        "\"\nfrom = \"netwarden@example.edu.cn\"\nretry_max = \"1s\"\n");
  kill_while_delivering("sendmail", [&] { return eml_files(received); });
}

TEST_F(KillLoopTest, SpoolLosesNothing) {
  // A message written again replaces its file (named by Message-ID), so the
  // spool shows no duplicates; what counts is that none is missing.
  write_config("r", "[mail]\ntransport = \"spool\"\nretry_max = \"1s\"\n");
  kill_while_delivering("spool", [&] { return eml_files(state_dir_ + "/mail-spool"); });
}

}  // namespace
}  // namespace netwarden::test
