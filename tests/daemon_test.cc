// End to end: the real netwardend binary watching real nginx sites, queried
// with the real netwardenctl. Second-scale intervals; no long sleeps.
#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <functional>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kPage = "<html><head><title>某某大学</title></head><body><p>某某大学 欢迎您</p></body></html>";
const std::string kHarmfulPage =
    "<html><head><title>某某大学</title></head><body><p>某某大学 网上赌博</p></body></html>";

std::string campus_config(const TempDir& dir, const NginxServer& nginx) {
  std::ofstream(dir.file("harmful.txt")) << "赌博\ncasino\n";
  World world{.defaults = "interval = \"300ms\"\ntimeout = \"300ms\"\nchain = \"c\"\nharmful_keywords = \"" +
                          dir.file("harmful.txt") + "\"\n"};
  const auto site = [&](const std::string& id, const std::string& page, const std::string& name,
                        const std::string& extra) {
    return web_target({.id = id, .url = nginx.url(page), .name = name, .chain = "", .interval = "", .extra = extra});
  };
  world.extra = site("portal", "/index.html", "门户网站", "required_keywords = [\"某某大学\"]\n") +
                site("gone", "/missing.html", "", "") + site("news", "/news.html", "", "");
  return world_config(dir, world);
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start_site(nginx_, {{"index.html", kPage}, {"news.html", kHarmfulPage}}));
    std::ofstream(config_) << campus_config(dir_, *nginx_);
  }

  void start_daemon() { daemon_.start(); }
  Finished ctl(std::vector<std::string> args) { return daemon_.ctl(std::move(args)); }

  // Polls `netwardenctl --json targets` until `done` holds for the result.
  json::array targets_when(const std::function<bool(const json::array&)>& done) {
    json::array last;
    const bool reached = daemon_.wait_until([&] {
      json::value answer = daemon_.ctl_json({"targets"});
      if (answer.is_null()) return false;
      last = answer.at("targets").as_array();
      return done(last);
    });
    if (!reached) {
      ADD_FAILURE() << "condition not reached; last targets: " << json::serialize(last) << "\ndaemon log:\n"
                    << daemon_.log();
    }
    return last;
  }

  static const json::object& target(const json::array& targets, std::string_view id) {
    for (const auto& t : targets) {
      if (t.as_object().at("id").as_string() == id) return t.as_object();
    }
    throw std::runtime_error("no target " + std::string(id));
  }

  static bool all_checked(const json::array& targets) {
    for (const auto& t : targets) {
      if (t.as_object().at("state").as_string() == "unknown") return false;
    }
    return !targets.empty();
  }

  TempDir dir_{"netwarden-daemon"};
  std::unique_ptr<NginxServer> nginx_;
  std::string config_ = dir_.file("netwarden.toml");
  DaemonHarness daemon_{dir_};
};

TEST_F(DaemonTest, CheckConfigAcceptsTheExampleAndRejectsAnError) {
  const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  Finished good = run_program({built_binary("daemon/netwardend"), "--check-config", "--config",
                               std::string(source) + "/config/netwarden.example.toml"});
  EXPECT_EQ(good.exit_code, 0) << good.err;

  std::ofstream(dir_.file("bad.toml")) << "[deamon]\n";
  Finished bad = run_program({built_binary("daemon/netwardend"), "--check-config", "--config", dir_.file("bad.toml")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(dir_.file("bad.toml") + ":1:2: unknown section [deamon]"), std::string::npos) << bad.err;
}

// A keyword file the daemon could not use fails the check (and so a
// reload), naming its line, not the daemon at start.
TEST_F(DaemonTest, CheckConfigRejectsAKeywordFileInABadFormat) {
  std::ofstream(dir_.file("words.txt")) << "博彩\n[gambling severity=urgent]\n赌场\n";
  World world;
  world.extra = web_target(
      {.id = "college", .url = closed_port_url(), .extra = "harmful_keywords = \"" + dir_.file("words.txt") + "\"\n"});
  std::ofstream(config_) << world_config(dir_, world);
  Finished bad = run_program({built_binary("daemon/netwardend"), "--check-config", "--config", config_});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("target 'college': " + dir_.file("words.txt") + ":2: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(config_ + ": 1 error(s)"), std::string::npos) << bad.err;

  std::ofstream(dir_.file("words.txt")) << "博彩\n[gambling severity=major]\n赌场\n";
  Finished good = run_program({built_binary("daemon/netwardend"), "--check-config", "--config", config_});
  EXPECT_EQ(good.exit_code, 0) << good.err;
}

TEST_F(DaemonTest, SimulatePrintsTheEscalationOfAnOutage) {
  const std::string example = std::string(std::getenv("NETWARDEN_SOURCE_DIR")) + "/config/netwarden.example.toml";
  Finished run = run_program({built_binary("daemon/netwardend"), "--simulate", "portal", "--config", example});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The example's chain: the operator at once, the first responsible person
  // at the 3-hour line, which is also where the threshold notice goes.
  EXPECT_NE(run.out.find("step 1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("--- threshold 3h ---"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("threshold     "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("李华 <lihua@example.edu.cn>"), std::string::npos) << run.out;

  Finished unknown = run_program({built_binary("daemon/netwardend"), "--simulate", "portl", "--config", example});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("portl"), std::string::npos) << unknown.err;
}

TEST_F(DaemonTest, WatchesSitesAndReportsThroughNetwardenctl) {
  start_daemon();
  json::array targets = targets_when(all_checked);
  ASSERT_EQ(targets.size(), 3u);

  const auto& portal = target(targets, "portal");
  EXPECT_EQ(portal.at("state").as_string(), "up");
  EXPECT_EQ(portal.at("status").as_int64(), 200);
  // The first check records the baseline; later ones (300 ms apart) match it.
  const std::string content(portal.at("content").as_string());
  EXPECT_TRUE(content == "baseline_set" || content == "unchanged") << content;

  const auto& gone = target(targets, "gone");
  EXPECT_EQ(gone.at("state").as_string(), "down");
  EXPECT_EQ(gone.at("reason").as_string(), "http_status");
  EXPECT_EQ(gone.at("status").as_int64(), 404);

  const auto& news = target(targets, "news");
  ASSERT_EQ(news.at("harmful").as_array().size(), 1u);
  EXPECT_EQ(news.at("harmful").as_array()[0].as_string(), "赌博");

  // Defacement: the text changes and a script from a foreign host appears.
  nginx_->write_file("index.html",
                     "<html><head><title>某某大学</title><script src=\"http://evil.example/x.js\"></script></head>"
                     "<body><p>某某大学 hacked</p></body></html>");
  targets = targets_when([](const json::array& ts) {
    const auto& p = target(ts, "portal");
    return p.at("content").as_string() == "changed" && p.at("structure").as_string() == "changed";
  });

  Finished table = ctl({"targets"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("门户网站"), std::string::npos) << table.out;
  Finished status = ctl({"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  json::object s = json::parse(status.out).as_object();
  EXPECT_EQ(s.at("targets").at("total").as_int64(), 3);
  EXPECT_EQ(s.at("targets").at("down").as_int64(), 1);
  EXPECT_GT(s.at("checks_completed").as_int64(), 3);

  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nw.sock")));

  // Every sample keeps the addresses the name resolved to.
  EXPECT_EQ(daemon_.sql("SELECT count(*) > 0 AND count(*) = sum(details_json LIKE "
                        "'%\"resolved\":[\"127.0.0.1\"]%') FROM samples WHERE target = 'portal'"),
            "1\n");
}

TEST_F(DaemonTest, BaselineSurvivesARestart) {
  start_daemon();
  targets_when(all_checked);
  ASSERT_EQ(daemon_.stop(), 0) << daemon_.log();

  // Changed while the daemon was stopped: the stored baseline, not the new
  // page, is what it is compared with.
  nginx_->write_file("index.html",
                     "<html><head><title>某某大学</title></head><body><p>某某大学 改版</p></body></html>");
  start_daemon();
  targets_when([](const json::array& ts) { return target(ts, "portal").at("content").as_string() == "changed"; });
}

TEST_F(DaemonTest, EveryTargetIsFirstCheckedWithinTenSecondsWhateverItsInterval) {
  std::string config;
  {
    std::ifstream in(config_);
    config.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string fast = "interval = \"300ms\"";
  config.replace(config.find(fast), fast.size(), "interval = \"1h\"");
  std::ofstream(config_) << config;
  const auto started = std::chrono::steady_clock::now();
  start_daemon();
  targets_when(all_checked);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 11s);
}

TEST_F(DaemonTest, SecondDaemonOnTheSameStateIsRefused) {
  start_daemon();
  targets_when(all_checked);
  Finished second = run_program({built_binary("daemon/netwardend"), "--config", config_});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("another netwardend is already using"), std::string::npos) << second.err;
  EXPECT_TRUE(daemon_.running());
  EXPECT_EQ(ctl({"status"}).exit_code, 0);
}

TEST_F(DaemonTest, VerifyWalksTheLedgerAndNamesABreak) {
  start_daemon();
  targets_when(all_checked);
  Finished intact = ctl({"verify"});
  EXPECT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_NE(intact.out.find("ledger intact"), std::string::npos) << intact.out;

  // Tampering with the file behind the daemon's back: the head row that
  // records the newest entry is deleted.
  // sqlite3 waits for the running daemon's write lock to pass.
  Finished tamper = run_program({"/usr/bin/sqlite3", "-cmd", ".timeout 10000", dir_.file("state/netwarden.db"),
                                 "DROP TRIGGER ledger_head_no_delete; DELETE FROM ledger_head;"});
  ASSERT_EQ(tamper.exit_code, 0) << tamper.err;
  Finished broken = ctl({"verify"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("the ledger is broken"), std::string::npos) << broken.err;
  Finished as_json = ctl({"--json", "verify"});
  EXPECT_EQ(as_json.exit_code, 1);
  EXPECT_EQ(json::parse(as_json.out).at("intact"), false) << as_json.out;
}

// Who was told what, from the ledger's record of every message:
// "target person: reasons" lines, sorted.
std::string told(const DaemonHarness& daemon) {
  return daemon.sql(
      "SELECT json_extract(details_json, '$.target') || ' ' || json_extract(details_json, '$.person')"
      " || ': ' || json_extract(details_json, '$.reasons') FROM ledger WHERE type = 'notified' ORDER BY 1");
}

// The e-mails the spool transport wrote (the default [mail] transport).
std::size_t spooled_mails(const std::string& dir) {
  std::size_t n = 0;
  if (!std::filesystem::exists(dir)) return n;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() == ".eml" && !file.path().filename().string().starts_with(".")) ++n;
  }
  return n;
}

TEST_F(DaemonTest, AnOutageOpensAnIncidentRecordedBeforeAnyoneIsTold) {
  start_daemon();
  const std::string spool = dir_.file("state/mail-spool");
  // The 404 site is down; the page with a harmful word goes to the top of
  // the chain at once (here the chain has one step: the operator).
  const std::string expected = "gone op: step 1\nnews op: harmful content, step 1\n";
  ASSERT_TRUE(daemon_.wait_until([&] { return told(daemon_) == expected && spooled_mails(spool) == 2; }))
      << told(daemon_) << daemon_.log();

  EXPECT_EQ(daemon_.sql("SELECT kind, subject, state FROM incidents ORDER BY subject;"
                        "SELECT count(*) FROM ledger WHERE type = 'opened';"),
            "site_down|gone|open\nharmful_content|news|open\n2\n");

  // Killed mid-incident and started again: the incident carries on, step 1
  // is not sent twice, and the ledger still verifies.
  daemon_.kill9();
  start_daemon();
  targets_when(all_checked);
  // Five rounds of checks of the three sites, with the ticks between them.
  ASSERT_TRUE(daemon_.wait_checks_grown(15)) << daemon_.log();
  EXPECT_EQ(told(daemon_), expected);
  EXPECT_EQ(spooled_mails(spool), 2u);
  Finished verify = ctl({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(daemon_.sql("SELECT count(*) FROM incidents"), "2\n");

  Finished listed = ctl({"--json", "incidents"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto incidents = json::parse(listed.out).at("incidents").as_array();
  ASSERT_EQ(incidents.size(), 2u) << listed.out;
  for (const auto& i : incidents) {
    const auto& o = i.as_object();
    EXPECT_EQ(o.at("state"), "open");
    EXPECT_EQ(o.at("severity"), o.at("target") == "news" ? "major" : "general") << listed.out;
  }
  Finished table = ctl({"incidents", "--all"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("harmful_content"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("site_down"), std::string::npos) << table.out;

  // Acting on them: recorded with the OS user and the person named.
  std::string down_id, harmful_id;
  for (const auto& i : incidents) {
    (i.at("target") == "gone" ? down_id : harmful_id) = std::to_string(i.at("id").as_int64());
  }
  Finished ack = ctl({"ack", down_id, "--note", "服务器重启中", "--as", "op"});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_EQ(ack.out, "incident " + down_id + " acknowledged by root as op\n");
  EXPECT_EQ(ctl({"ack", down_id}).exit_code, 1);  // already acknowledged
  Finished stranger = ctl({"ack", harmful_id, "--as", "nobody-here"});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_NE(stranger.err.find("not a person in the configuration"), std::string::npos) << stranger.err;
  // Harmful content closes only when the words are gone, never by hand.
  EXPECT_EQ(ctl({"resolve", harmful_id, "--note", "looked fine to me"}).exit_code, 1);
  EXPECT_EQ(ctl({"resolve", down_id}).exit_code, 2);  // --note is required

  EXPECT_EQ(daemon_.sql("SELECT actor FROM ledger WHERE type = 'acknowledged' AND incident_id = " + down_id),
            "root as op\n");
  EXPECT_EQ(ctl({"verify"}).exit_code, 0);

  Finished shown = ctl({"show", down_id});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* expected : {"site_down of gone", "opened", "acknowledged", "root as op", "服务器重启中"}) {
    EXPECT_NE(shown.out.find(expected), std::string::npos) << expected << " in\n" << shown.out;
  }
  EXPECT_EQ(ctl({"show", "999"}).exit_code, 1);
}

TEST_F(DaemonTest, UnreachableDaemonIsExitCode3) {
  Finished f = ctl({"status"});
  EXPECT_EQ(f.exit_code, 3);
  EXPECT_FALSE(f.err.empty());
}

}  // namespace
}  // namespace netwarden::test
