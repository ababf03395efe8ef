// End to end, on a second-scale chain: a real netwardend watching a real
// nginx site, acted on with the real netwardenctl. Who was told what is read
// from the ledger's "notified" events, the record every message leaves.
//
// The chain (offsets from the outage's start): the operator at once, the
// security officer at 2s, the unit head at 4s, the first responsible person
// at 8s; the site's threshold is 6s, which notifies the top of the chain.
#include <signal.h>

#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string flow_config(const TempDir& dir, const NginxServer& nginx) {
  World world{.confirm_failures = 2, .recovery_window = "1s"};
  world.chains = {
      {"c", {{"0s", {"operator"}}, {"2s", {"security_officer"}}, {"4s", {"head"}}, {"8s", {"first_responsible"}}}}};
  world.extra = web_target(
      {.id = "college", .url = nginx.url("/index.html"), .name = "学院网站", .extra = "threshold = \"6s\"\n"});
  return world_config(dir, world);
}

class IncidentFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start_site(nginx_, {{"index.html", kSitePage}}));
    std::ofstream(config_) << flow_config(dir_, *nginx_);
  }

  void take_site_down() { std::filesystem::remove(nginx_->root() + "/index.html"); }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }

  int number(const std::string& query) const {
    const std::string out = sql(query);
    return out.empty() ? -1 : std::stoi(out);
  }

  // Some checks done: the site is watched and judged.
  bool checked() const { return number("SELECT count(*) FROM samples") >= 2; }

  // "person: reasons" per message about `incident`, in the order sent,
  // "(late)" marking what fell due while the daemon was down.
  std::string told(const std::string& incident) const {
    return sql(
        "SELECT json_extract(details_json, '$.person') || ': ' || json_extract(details_json, '$.reasons')"
        " || iif(json_extract(details_json, '$.late') = 'true', ' (late)', '')"
        " FROM ledger WHERE type = 'notified' AND incident_id = " +
        incident + " ORDER BY seq");
  }

  // The ids of the open incidents, newest last, once there are `count`.
  std::vector<std::string> open_incidents(std::size_t count) {
    std::vector<std::string> ids;
    daemon_.wait_until([&] {
      json::value listed = daemon_.ctl_json({"incidents"});
      if (listed.is_null()) return false;
      ids.clear();
      for (const auto& i : listed.at("incidents").as_array()) ids.push_back(std::to_string(i.at("id").as_int64()));
      return ids.size() == count;
    });
    return ids;
  }

  // Whether `after` has passed since incident `id` began, by the
  // database's clock and its record: what a stopped daemon finds at start.
  bool past_outage_start(const std::string& id, std::chrono::milliseconds after) {
    const std::string passed =
        "SELECT (julianday('now') - 2440587.5) * 86400000 - json_extract(state_json, '$.started_at') > " +
        std::to_string(after.count()) + " FROM incidents WHERE id = " + id;
    for (auto deadline = std::chrono::steady_clock::now() + after + 5s; std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(50ms)) {
      if (sql(passed) == "1\n") return true;
    }
    return false;
  }

  bool wait_for_text(const std::function<std::string()>& read, const std::string& expected,
                     std::chrono::seconds limit) {
    return daemon_.wait_until([&] { return read() == expected; }, limit);
  }

  TempDir dir_{"netwarden-flow"};
  std::unique_ptr<NginxServer> nginx_;
  std::string config_ = dir_.file("netwarden.toml");
  DaemonHarness daemon_{dir_};
};

TEST_F(IncidentFlowTest, EveryStepFiresOnceAcrossACrashThenTheThresholdThenRecovery) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return checked(); })) << daemon_.log();
  take_site_down();
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();
  const std::string id = ids.front();

  // Steps 1 and 2, then a crash before step 3 comes due at 4s.
  ASSERT_TRUE(wait_for_text([&] { return told(id); }, "op: step 1\nso: step 2\n", 10s)) << told(id) << daemon_.log();
  daemon_.kill9();
  // Down until step 3 (4s after the outage began) has fallen due.
  ASSERT_TRUE(past_outage_start(id, 4500ms)) << daemon_.log();

  // Started again past 4s: step 3 fires once, marked late; then the 6s
  // threshold tells the top of the chain, and step 4 at 8s tells it again.
  daemon_.start();
  const std::string escalated = "op: step 1\nso: step 2\nhead: step 3 (late)\nboss: threshold\nboss: step 4\n";
  ASSERT_TRUE(wait_for_text([&] { return told(id); }, escalated, 15s)) << told(id) << daemon_.log();
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'threshold_crossed' AND incident_id = " + id), "1\n");
  json::value shown = daemon_.ctl_json({"show", id});
  ASSERT_FALSE(shown.is_null());
  EXPECT_EQ(shown.at("incident").at("severity"), "significant");  // raised one grade at the threshold
  EXPECT_TRUE(shown.at("incident").at("threshold_crossed_at").is_string());

  // Back up: after the 1s recovery window it resolves, and everyone told
  // hears so once, with the total duration.
  nginx_->write_file("index.html", kSitePage);
  ASSERT_TRUE(wait_for_text([&] { return told(id); },
                            escalated + "op: resolved\nso: resolved\nhead: resolved\nboss: resolved\n", 10s))
      << told(id) << daemon_.log();
  EXPECT_EQ(sql("SELECT state FROM incidents WHERE id = " + id), "resolved\n");
  EXPECT_EQ(sql("SELECT json_extract(details_json, '$.threshold_crossed') FROM ledger WHERE type = 'resolved'"),
            "true\n");
  Finished verify = daemon_.ctl({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // No step fired twice: one step_fired per step in the whole ledger.
  EXPECT_EQ(sql("SELECT group_concat(n) FROM (SELECT count(*) AS n FROM ledger WHERE type = 'step_fired'"
                " GROUP BY json_extract(details_json, '$.step'))"),
            "1,1,1,1\n");
}

TEST_F(IncidentFlowTest, ApprovingChangedContentMakesItTheBaseline) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM baselines") == "1\n"; })) << daemon_.log();
  const std::string redesigned =
      "<html><head><title>某某学院</title></head><body><p>某某学院 新版主页</p></body></html>";
  nginx_->write_file("index.html", redesigned);
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();
  EXPECT_EQ(sql("SELECT kind FROM incidents WHERE id = " + ids[0]), "content_changed\n");

  // Nobody may resolve it by hand: it closes by approval.
  EXPECT_EQ(daemon_.ctl({"resolve", ids[0], "--note", "fine"}).exit_code, 1);
  Finished approved = daemon_.ctl({"approve", "college", "--note", "新版主页上线", "--as", "head"});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(approved.out, "the current content of college approved by root as head; later checks compare with it\n");

  EXPECT_EQ(sql("SELECT state FROM incidents WHERE id = " + ids[0]), "resolved\n");
  EXPECT_EQ(sql("SELECT set_by, text LIKE '%新版主页%' FROM baselines"), "root as head|1\n");
  EXPECT_EQ(sql("SELECT actor || ' ' || json_extract(details_json, '$.note') FROM ledger WHERE type = 'approved'"),
            "root as head 新版主页上线\n");

  // Later checks match the approved page: no new incident.
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value targets = daemon_.ctl_json({"targets"});
    return !targets.is_null() && targets.at("targets").at(0).at("content") == "unchanged";
  })) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_checks_grown(4)) << daemon_.log();
  EXPECT_EQ(sql("SELECT count(*) FROM incidents"), "1\n");

  // Approval needs a known target.
  Finished unknown = daemon_.ctl({"approve", "colege"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("colege"), std::string::npos) << unknown.err;
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
}

TEST_F(IncidentFlowTest, AnOutageInsideAMaintenanceWindowOpensNoIncident) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return checked(); })) << daemon_.log();
  Finished declared = daemon_.ctl({"maintenance", "college", "--to", "1h", "--reason", "更换服务器", "--as", "op"});
  ASSERT_EQ(declared.exit_code, 0) << declared.err;
  EXPECT_NE(declared.out.find("maintenance of college declared by root as op"), std::string::npos) << declared.out;
  EXPECT_EQ(sql("SELECT actor || ' ' || json_extract(details_json, '$.reason') FROM ledger"
                " WHERE type = 'maintenance_declared'"),
            "root as op 更换服务器\n");

  take_site_down();
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value targets = daemon_.ctl_json({"targets"});
    return !targets.is_null() && targets.at("targets").at(0).at("state") == "down";
  })) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_checks_grown(6)) << daemon_.log();  // several failing checks
  EXPECT_EQ(sql("SELECT count(*) FROM incidents"), "0\n");

  // The window is stored: a restarted daemon still honours and lists it.
  daemon_.kill9();
  daemon_.start();
  Finished listed;
  ASSERT_TRUE(daemon_.wait_until([&] {
    listed = daemon_.ctl({"maintenance"});
    return listed.exit_code == 0;
  })) << daemon_.log();
  EXPECT_NE(listed.out.find("更换服务器"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("root as op"), std::string::npos) << listed.out;
  ASSERT_TRUE(daemon_.wait_checks_grown(6)) << daemon_.log();
  EXPECT_EQ(sql("SELECT count(*) FROM incidents"), "0\n");

  // The site comes back changed and with a gambling link hidden in it: the
  // change is the planned work's, the hidden link is not.
  nginx_->write_file("index.html",
                     "<html><body><p>学院网站 新版</p><div style=\"display:none\">"
                     "<a href=\"http://bet.example/\">在线博彩</a></div></body></html>");
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT kind FROM incidents") == "hidden_link\n"; }))
      << sql("SELECT kind FROM incidents") << daemon_.log();
  ASSERT_TRUE(daemon_.wait_checks_grown(4)) << daemon_.log();
  EXPECT_EQ(sql("SELECT kind FROM incidents"), "hidden_link\n");

  // Malformed windows are refused with a reason.
  Finished backwards = daemon_.ctl({"maintenance", "college", "--from", "2030-01-01T10:00:00+08:00", "--to",
                                    "2030-01-01T09:00:00+08:00", "--reason", "x"});
  EXPECT_EQ(backwards.exit_code, 1);
  EXPECT_NE(backwards.err.find("must end after it starts"), std::string::npos) << backwards.err;
  Finished no_reason = daemon_.ctl({"maintenance", "college", "--to", "1h"});
  EXPECT_EQ(no_reason.exit_code, 1);
  EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
}

TEST_F(IncidentFlowTest, AWindowDeclaredDuringAnOutageDoesNotHideIt) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return checked(); })) << daemon_.log();
  take_site_down();
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();
  ASSERT_EQ(daemon_.ctl({"maintenance", "college", "--to", "1h", "--reason", "after the fact"}).exit_code, 0);
  // The outage carries on escalating; only recovery closes it.
  ASSERT_TRUE(wait_for_text([&] { return told(ids[0]); }, "op: step 1\nso: step 2\n", 10s)) << told(ids[0]);
  EXPECT_EQ(sql("SELECT state FROM incidents WHERE id = " + ids[0]), "open\n");
}

TEST_F(IncidentFlowTest, ReloadAppliesAValidConfigInPlaceAndKeepsTheIncidents) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return checked(); })) << daemon_.log();
  take_site_down();
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();
  ASSERT_TRUE(wait_for_text([&] { return told(ids[0]); }, "op: step 1\n", 10s)) << daemon_.log();
  const pid_t pid = daemon_.pid();

  // A second site appears in the config; SIGHUP applies it.
  nginx_->write_file("news.html", kSitePage);
  std::ofstream(config_, std::ios::app) << web_target({.id = "news", .url = nginx_->url("/news.html")});
  daemon_.signal(SIGHUP);
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value targets = daemon_.ctl_json({"targets"});
    return !targets.is_null() && targets.at("targets").as_array().size() == 2;
  })) << daemon_.log();
  EXPECT_EQ(daemon_.pid(), pid);
  EXPECT_TRUE(daemon_.running());
  // The outage carries on where it was: same incident, step 1 not repeated,
  // step 2 at its time.
  ASSERT_TRUE(wait_for_text([&] { return told(ids[0]); }, "op: step 1\nso: step 2\n", 10s))
      << told(ids[0]) << daemon_.log();
  EXPECT_EQ(open_incidents(1), ids);

  // A broken config is refused; the daemon carries on with the one it has.
  std::ofstream(config_, std::ios::app) << "\n[deamon]\n";
  daemon_.signal(SIGHUP);
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.log().find("not reloading") != std::string::npos; }))
      << daemon_.log();
  EXPECT_NE(daemon_.log().find("unknown section [deamon]"), std::string::npos) << daemon_.log();
  EXPECT_TRUE(daemon_.running());
  json::value targets = daemon_.ctl_json({"targets"});
  ASSERT_FALSE(targets.is_null());
  EXPECT_EQ(targets.at("targets").as_array().size(), 2u);
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
}

}  // namespace
}  // namespace netwarden::test
