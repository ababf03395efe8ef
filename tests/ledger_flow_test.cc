// End to end: the real netwardend with a ledger key, watching a real nginx
// site, its messages written as .eml files by the spool transport. The
// messages carry the ledger head (anchors); the daily checkpoint goes to the
// office at start; `netwardenctl verify --anchors` and `netwardend
// --verify-ledger` check them; a ledger broken behind the daemon's back is
// found at the next start, which raises an alarm, tells the office, and goes
// on monitoring on a new segment.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/ledger_attack.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/spawn.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string ledger_config(const TempDir& dir, const NginxServer& nginx) {
  World world{.log_level = "info", .confirm_failures = 2, .office = true};
  world.mail = "[mail]\ntransport = \"spool\"\nspool_dir = \"" + dir.file("spool") + "\"\n";
  world.extra = web_target({.id = "college", .url = nginx.url("/index.html"), .name = "学院网站"});
  return world_config(dir, world);
}

class LedgerFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start_site(nginx_, {{"index.html", kSitePage}}));
    std::ofstream(dir_.file("netwarden.toml")) << ledger_config(dir_, *nginx_);
    std::ofstream(key_) << std::string(64, '7') << "\n";
    ::chmod(key_.c_str(), 0600);
  }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }

  // The .eml files whose name holds `part` ("ledger-checkpoint", "netwarden.1.").
  std::size_t spooled(const std::string& part) const {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.file("spool"), ec)) {
      if (entry.path().filename().string().find(part) != std::string::npos) ++n;
    }
    return n;
  }

  // A consistent copy of the database, as an auditor would be handed.
  std::string copy_database(const std::string& name) const {
    const std::string copy = dir_.file(name);
    sql(".backup " + copy);
    return copy;
  }

  TempDir dir_{"netwarden-ledger"};
  std::unique_ptr<NginxServer> nginx_;
  std::string key_ = dir_.file("ledger.key");
  DaemonHarness daemon_{dir_};
};

TEST_F(LedgerFlowTest, MessagesCarryTheHeadAndAnchorsCatchATruncatedCopy) {
  daemon_.start({"--ledger-key", key_});
  // The day's checkpoint goes to the office at start.
  ASSERT_TRUE(daemon_.wait_until([&] { return spooled("ledger-checkpoint") == 1; })) << daemon_.log();
  json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  EXPECT_EQ(status.at("ledger").at("keyed"), true);
  EXPECT_TRUE(status.at("ledger").at("warning").is_null());
  EXPECT_TRUE(status.at("ledger").at("alarm").is_null());
  EXPECT_EQ(sql("SELECT type FROM ledger WHERE seq = 1"), "segment_started\n");

  // An outage: the operator's message carries the head after its decision.
  std::filesystem::remove(nginx_->root() + "/index.html");
  ASSERT_TRUE(daemon_.wait_until([&] { return spooled("netwarden.1.") == 1; })) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM ledger WHERE type = 'mail_sent'") == "2\n"; }))
      << daemon_.log();
  const std::string notified_seq = sql("SELECT max(seq) FROM ledger WHERE type = 'notified'");
  std::string message;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.file("spool"))) {
    if (entry.path().filename().string().find("netwarden.1.") != std::string::npos)
      message = read_file(entry.path().string());
  }
  const std::string head = "seq=" + notified_seq.substr(0, notified_seq.size() - 1) + ";";
  EXPECT_NE(message.find("X-Netwarden-Ledger: " + head), std::string::npos) << message;

  Finished verified = daemon_.ctl({"verify", "--anchors", dir_.file("spool")});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("anchors: 2 checked, 0 disagree"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("ledger intact: "), std::string::npos) << verified.out;

  // An auditor's copy verifies offline, read-only.
  const std::string copy = copy_database("copy.db");
  Finished offline =
      daemon_.netwardend({"--verify-ledger", copy, "--ledger-key", key_, "--anchors", dir_.file("spool")});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;

  // The newest rows deleted and the head rewound to before the outage: the
  // chain alone is whole, the operator's message is not fooled.
  const std::string cut = dir_.file("cut.db");
  std::filesystem::copy_file(copy, cut);
  const std::string keep = std::to_string(std::stoll(notified_seq) - 1);
  ASSERT_NO_FATAL_FAILURE(rewrite_ledger(cut, "DELETE FROM ledger WHERE seq > " + keep +
                                                  "; UPDATE ledger_head SET seq = " + keep +
                                                  ", hash = (SELECT hash FROM ledger WHERE seq = " + keep + ")"));
  Finished chain_only = daemon_.netwardend({"--verify-ledger", cut, "--ledger-key", key_});
  EXPECT_EQ(chain_only.exit_code, 0) << chain_only.out << chain_only.err;
  Finished anchored =
      daemon_.netwardend({"--verify-ledger", cut, "--ledger-key", key_, "--anchors", dir_.file("spool")});
  EXPECT_EQ(anchored.exit_code, 1) << anchored.out << anchored.err;
  EXPECT_NE(anchored.err.find("ANCHOR " + dir_.file("spool") + "/"), std::string::npos) << anchored.err;
  EXPECT_NE(anchored.err.find("beyond the last row (" + keep + ")"), std::string::npos) << anchored.err;

  EXPECT_EQ(daemon_.netwardend({"--verify-ledger", dir_.file("missing.db")}).exit_code, 2);
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
}

TEST_F(LedgerFlowTest, ABrokenLedgerAtStartRaisesAnAlarmAndMonitoringGoesOn) {
  daemon_.start({"--ledger-key", key_});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 2; })) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM ledger WHERE type = 'mail_sent'") == "1\n"; }))
      << daemon_.log();
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
  const std::string db = dir_.file("state/netwarden.db");
  const std::string last = sql("SELECT max(seq) FROM ledger");
  ASSERT_NO_FATAL_FAILURE(rewrite_ledger(db, "UPDATE ledger SET actor = 'someone' WHERE seq = 2"));

  daemon_.start({"--ledger-key", key_});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 2; })) << daemon_.log();
  json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  ASSERT_TRUE(status.at("ledger").at("alarm").is_string()) << json::serialize(status);
  EXPECT_NE(std::string(status.at("ledger").at("alarm").as_string()).find("seq 2: "), std::string::npos);
  EXPECT_NE(daemon_.ctl({"status"}).out.find("ALARM: the ledger was found broken at start-up"), std::string::npos);
  EXPECT_NE(daemon_.log().find("the ledger was found broken"), std::string::npos) << daemon_.log();
  // Recorded as a marker that begins a new segment, and the office is told.
  const std::string marker = std::to_string(std::stoll(last) + 1);
  EXPECT_EQ(sql("SELECT type, json_extract(details_json, '$.after_break.seq') FROM ledger WHERE seq = " + marker),
            "segment_started|2\n");
  ASSERT_TRUE(daemon_.wait_until([&] { return spooled("ledger-broken") == 1; })) << daemon_.log();

  Finished verified = daemon_.ctl({"verify"});
  EXPECT_EQ(verified.exit_code, 1) << verified.out << verified.err;
  EXPECT_NE(verified.err.find("BREAK seq 2: "), std::string::npos) << verified.err;
  EXPECT_NE(verified.err.find("a new segment began at seq " + marker), std::string::npos) << verified.err;
  EXPECT_NE(verified.err.find(", whole"), std::string::npos) << verified.err;
  json::value report = daemon_.ctl_json({"verify"});
  EXPECT_TRUE(report.is_null()) << "--json still exits 1 on a broken ledger";

  // A restart does not record the same break again.
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
  daemon_.start({"--ledger-key", key_});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 0; })) << daemon_.log();
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'segment_started'"), "2\n");
  EXPECT_TRUE(daemon_.ctl_json({"status"}).at("ledger").at("alarm").is_null());
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
}

TEST_F(LedgerFlowTest, ALedgerThatCannotBeContinuedIsAnAlarmNotAStop) {
  daemon_.start({"--ledger-key", key_});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 0; })) << daemon_.log();
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
  ASSERT_NO_FATAL_FAILURE(rewrite_ledger(dir_.file("state/netwarden.db"), "DELETE FROM ledger_head"));

  daemon_.start({"--ledger-key", key_});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 2; })) << daemon_.log();
  const json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  ASSERT_TRUE(status.at("ledger").at("alarm").is_string()) << json::serialize(status);
  EXPECT_NE(std::string(status.at("ledger").at("alarm").as_string()).find("cannot verify or continue the ledger"),
            std::string::npos);
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
}

TEST_F(LedgerFlowTest, WithoutAKeyTheDaemonRunsAndWarnsAndABadKeyStopsIt) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.checks_completed() > 0; })) << daemon_.log();
  json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  EXPECT_EQ(status.at("ledger").at("keyed"), false);
  EXPECT_TRUE(status.at("ledger").at("warning").is_string());
  EXPECT_NE(daemon_.ctl({"status"}).out.find("WARNING: the ledger is not keyed"), std::string::npos);
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();

  ::chmod(key_.c_str(), 0644);
  Finished refused = daemon_.netwardend({"--config", dir_.file("netwarden.toml"), "--ledger-key", key_});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("ledger key " + key_ + ": readable or writable by group or others (mode 0644)"),
            std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace netwarden::test
