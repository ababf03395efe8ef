// The control protocol as a table: request lines go through the protocol
// checks (answer_request) to the daemon's handler, on the real monitor,
// isolation monitor, incident keeper and store the daemon builds, without
// a socket and without any check running. Each row is one request, who
// sends it, and what the answer must say. The rows run in order on one
// daemon state, which the rows before a row explain.
#include "daemon/control_commands.h"
#include "daemon/crawl/site_crawler.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>

#include "config/load_config.h"
#include "daemon/control/control_request.h"
#include "daemon/incidents/incident_keeper.h"
#include "daemon/isolation/isolation_monitor.h"
#include "daemon/notifier/message/mail_templates.h"
#include "daemon/notifier/outbox/outbox_drainer.h"
#include "daemon/post_to.h"
#include "daemon/store/store.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/web_monitor/web_monitor.h"
#include "tests/support/minimal_world.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr uid_t kRoot = 0;
constexpr uid_t kNobody = 65534;  // not root, and no admin_group is configured

struct Case {
  std::string name;
  std::string request;  // one request line
  uid_t uid = kRoot;
  std::string error = "";                                        // "": the answer is ok; else a part of its error
  std::vector<std::pair<std::string, json::value>> fields = {};  // JSON pointer into the answer → value
};

class ControlCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two sites nobody listens on; nothing checks them in this test.
    test::World world{.confirm_failures = 2};
    world.mail = "[mail]\ntransport = \"spool\"\nfrom = \"netwarden@example.edu.cn\"\n";
    world.extra = test::web_target({.id = "library", .url = test::closed_port_url()}) +
                  test::web_target({.id = "news", .url = test::closed_port_url()});
    ConfigLoad load = load_config_text(test::world_config(dir_, world), dir_.file("netwarden.toml"));
    ASSERT_TRUE(load.ok()) << load.errors.front().to_string();
    config_ = std::move(load.config);
    auto store = Store::open(dir_.file("netwarden.db"));
    ASSERT_TRUE(store) << store.error().message;
    writer_ = std::make_unique<StoreWriter>(std::move(*store), post_to(io_.get_executor()));
    monitor_ = std::make_unique<WebMonitor>(io_.get_executor(), *writer_, health_, 4);
    for (const WebTarget& target : config_.targets) {
      auto added = monitor_->add_target(target, std::nullopt, std::nullopt);
      ASSERT_TRUE(added) << added.error().message;
    }
    isolation_ = std::make_unique<IsolationMonitor>(io_.get_executor(), config_, dir_.file("evidence"),
                                                    [](const IsolationObservation&) {});
    keeper_ = std::make_unique<IncidentKeeper>(
        io_.get_executor(), *writer_, health_, config_, templates_, [] {}, EngineState{}, now_utc());
    crawler_ = std::make_unique<SiteCrawler>(io_.get_executor(), *writer_, health_);
    // Not started: the refusals below are answered before anything is sent.
    auto transport = make_mail_transport(config_.mail, dir_.path().string());
    ASSERT_TRUE(transport) << transport.error().message;
    drainer_ = std::make_unique<OutboxDrainer>(dir_.file("netwarden.db"), std::move(*transport), config_.mail, now_utc);
    view_ = std::make_unique<DaemonView>(DaemonView{config_, *monitor_, *crawler_, *isolation_, *writer_, health_,
                                                    *keeper_, "spool", ledger_, now_utc(), refused_changes_, *drainer_,
                                                    post_to(io_.get_executor())});
  }

  void TearDown() override {
    if (keeper_) keeper_->stop();
    if (writer_) writer_->stop();
  }

  // Runs the io context until `done` holds (the store answers on it).
  bool run_until(const std::function<bool()>& done) {
    for (auto deadline = std::chrono::steady_clock::now() + 10s; !done();) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_one_for(50ms);
    }
    return true;
  }

  // A healthy check of the unchanged "news" page a second ago, with what
  // `add` puts on it; observed until it opens an incident, and shown as the
  // target's latest check.
  void observe_news_page(const std::function<void(CheckVerdict&)>& add) {
    CheckVerdict page;
    page.at = now_utc() - 1s;
    page.up = true;
    page.status = 200;
    page.content = ContentState::unchanged;
    page.structure = ContentState::unchanged;
    add(page);
    keeper_->observe("news", page);
    ASSERT_TRUE(run_until([&] { return keeper_->engine().open_incidents().size() == 1; }));
    for (const auto& target : monitor_->targets()) {
      if (target->config.id == "news") target->last = page;
    }
  }

  // The answer to one request line from a peer with `uid`.
  json::object call(const std::string& line, uid_t uid) {
    std::optional<json::object> answer;
    answer_request(
        line, PeerCredentials{::getpid(), uid, uid},
        [this](const ControlRequest& r, const ControlRespond& respond) {
          handle_control_request(*view_, r, respond, now_utc());
        },
        [&answer](json::object reply) { answer = std::move(reply); });
    EXPECT_TRUE(run_until([&] { return answer.has_value(); })) << "no answer to " << line;
    return answer.value_or(json::object{});
  }

  // Site "library" is down (two failed checks: incident 1 opens), and the
  // last check of "news" fetched a page (what `approve` takes as the
  // baseline). The checks themselves are not run: their results are given
  // to the keeper and put where the monitor keeps them.
  void outage_and_a_fetched_page() {
    CheckVerdict down;
    down.at = now_utc() - 1s;
    down.reason = "connect";
    down.detail = "connection refused";
    keeper_->observe("library", down);
    keeper_->observe("library", down);
    ASSERT_TRUE(run_until([&] { return keeper_->engine().open_incidents().size() == 1; }));
    ContentDigest page;
    page.text_sha256 = "t";
    page.structure_sha256 = "s";
    for (const auto& target : monitor_->targets()) {
      if (target->config.id == "news") target->memory.digest = page;
    }
  }

  test::TempDir dir_{"netwarden-control-commands"};
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  Config config_;
  MailTemplates templates_ = load_mail_templates("").value();
  WriteHealth health_;
  LedgerStatus ledger_;
  PeerLogLimit refused_changes_;
  std::unique_ptr<StoreWriter> writer_;
  std::unique_ptr<WebMonitor> monitor_;
  std::unique_ptr<SiteCrawler> crawler_;
  std::unique_ptr<IsolationMonitor> isolation_;
  std::unique_ptr<IncidentKeeper> keeper_;
  std::unique_ptr<OutboxDrainer> drainer_;
  std::unique_ptr<DaemonView> view_;
};

const std::vector<Case> kCases = {
    // The protocol around every command.
    {"not JSON", "status", kRoot, "malformed JSON request"},
    {"not an object", "[1]", kRoot, "a request must be a JSON object"},
    {"no command", R"({"args":{}})", kRoot, "a request needs a string \"command\""},
    {"command not a string", R"({"command":7})", kRoot, "a request needs a string \"command\""},
    {"args not an object", R"({"command":"status","args":[]})", kRoot, "\"args\" must be a JSON object"},
    {"repeated key", R"({"command":"status","command":"targets"})", kRoot, "a request must not repeat a key"},
    {"unknown command", R"({"command":"frobnicate"})", kRoot, "unknown command 'frobnicate'"},

    // Reading is open to anyone who can connect.
    {"status",
     R"({"command":"status"})",
     kNobody,
     "",
     {{"/result/targets/total", 2},
      {"/result/targets/unknown", 2},
      {"/result/checks_completed", 0},
      {"/result/mail/transport", "spool"},
      {"/result/mail/queued", 1},
      {"/result/ledger/keyed", false}}},
    {"targets",
     R"({"command":"targets"})",
     kNobody,
     "",
     {{"/result/targets/0/id", "library"}, {"/result/targets/1/id", "news"}, {"/result/targets/1/unit", "it"}}},
    {"incidents",
     R"({"command":"incidents"})",
     kNobody,
     "",
     {{"/result/incidents/0/id", 1}, {"/result/incidents/0/target", "library"}, {"/result/incidents/0/state", "open"}}},
    {"show",
     R"({"command":"show","args":{"id":1}})",
     kNobody,
     "",
     {{"/result/incident/id", 1}, {"/result/timeline/0/type", "opened"}, {"/result/mail/0/person", "op"}}},
    {"show without an id", R"({"command":"show"})", kRoot, "show needs an incident id"},
    {"show with a text id", R"({"command":"show","args":{"id":"1"}})", kRoot, "show needs an incident id"},
    {"show an unknown incident", R"({"command":"show","args":{"id":99}})", kRoot, "no incident 99"},
    {"verify",
     R"({"command":"verify"})",
     kNobody,
     "",
     {{"/result/intact", true}, {"/result/keyed", false}, {"/result/anchors/checked", 0}}},
    {"verify with anchors not a list", R"({"command":"verify","args":{"anchors":{}}})", kRoot,
     "verify: \"anchors\" must be an array"},
    {"verify with a malformed anchor", R"({"command":"verify","args":{"anchors":[{"seq":1}]}})", kRoot,
     "verify: anchor 1: needs \"seq\" (integer), \"hash\" and \"source\" (strings)"},
    {"maintenance list, none", R"({"command":"maintenance"})", kNobody, "", {{"/result/windows", json::array{}}}},

    // Changes: root only (no admin_group), and only with what they need.
    {"ack by nobody", R"({"command":"ack","args":{"id":1}})", kNobody, "permission denied: nobody is not root"},
    {"ack without an id", R"({"command":"ack"})", kRoot, "ack needs an incident id"},
    {"ack as a stranger", R"({"command":"ack","args":{"id":1,"as":"mallory"}})", kRoot,
     "--as: 'mallory' is not a person in the configuration"},
    {"ack an unknown incident", R"({"command":"ack","args":{"id":99}})", kRoot, "no incident 99"},
    {"ack",
     R"({"command":"ack","args":{"id":1,"note":"seen","as":"op"}})",
     kRoot,
     "",
     {{"/result/incident", 1}, {"/result/acknowledged_by", "root as op"}}},
    {"ack again", R"({"command":"ack","args":{"id":1}})", kRoot, "incident 1 was already acknowledged by root as op"},
    {"resolve by nobody", R"({"command":"resolve","args":{"id":1,"note":"x"}})", kNobody, "permission denied"},
    {"resolve without a note", R"({"command":"resolve","args":{"id":1}})", kRoot,
     "resolve needs --note saying how it was resolved"},
    {"resolve",
     R"({"command":"resolve","args":{"id":1,"note":"cable replaced"}})",
     kRoot,
     "",
     {{"/result/incident", 1}, {"/result/resolved_by", "root"}}},
    {"incidents after the resolve",
     R"({"command":"incidents","args":{"all":true}})",
     kRoot,
     "",
     {{"/result/incidents/0/state", "resolved"}, {"/result/incidents/0/acknowledged_by", "root as op"}}},
    {"crawl by nobody", R"({"command":"crawl","args":{"target":"news"}})", kNobody, "permission denied"},
    {"test-notify by nobody", R"({"command":"test-notify","args":{"to":"op"}})", kNobody, "permission denied"},
    {"test-notify to nobody known", R"({"command":"test-notify","args":{"to":"zhang"}})", kRoot,
     "test-notify: 'zhang' is neither a person nor a unit of the configuration"},
    {"test-notify on a channel not theirs", R"({"command":"test-notify","args":{"to":"op","channel":"robot"}})", kRoot,
     "test-notify: 'op' has no channel 'robot'"},
    {"test-notify to a unit without channels", R"({"command":"test-notify","args":{"to":"it"}})", kRoot,
     "test-notify: unit 'it' has no channels"},
    {"crawl without a target", R"({"command":"crawl"})", kRoot, "crawl needs a target"},
    {"crawl a target without a crawl table", R"({"command":"crawl","args":{"target":"news"}})", kRoot,
     "target 'news' has no [targets.news.crawl]"},
    {"approve by nobody", R"({"command":"approve","args":{"target":"news"}})", kNobody, "permission denied"},
    {"approve without a target", R"({"command":"approve"})", kRoot, "approve needs a target"},
    {"approve an unknown target", R"({"command":"approve","args":{"target":"nosuch"}})", kRoot, "no web target nosuch"},
    {"approve before a page was fetched", R"({"command":"approve","args":{"target":"library"}})", kRoot,
     "no content of library has been fetched since netwardend started"},
    {"approve",
     R"({"command":"approve","args":{"target":"news","note":"new look","as":"head"}})",
     kRoot,
     "",
     {{"/result/target", "news"}, {"/result/approved_by", "root as head"}, {"/result/text_sha256", "t"}}},
    {"maintenance by nobody", R"({"command":"maintenance","args":{"target":"news","to":"1h","reason":"x"}})", kNobody,
     "permission denied"},
    {"maintenance without a reason", R"({"command":"maintenance","args":{"target":"news","to":"1h"}})", kRoot,
     "maintenance needs --reason"},
    {"maintenance without an end", R"({"command":"maintenance","args":{"target":"news","reason":"x"}})", kRoot,
     "maintenance needs --to"},
    {"maintenance with a bad end", R"({"command":"maintenance","args":{"target":"news","to":"soon","reason":"x"}})",
     kRoot, "--to: "},
    {"maintenance ending before it starts",
     R"({"command":"maintenance","args":{"target":"news","from":"2030-01-01T10:00:00+08:00",)"
     R"("to":"2030-01-01T09:00:00+08:00","reason":"x"}})",
     kRoot, "a maintenance window must end after it starts"},
    {"maintenance",
     R"({"command":"maintenance","args":{"target":"news","to":"1h","reason":"server swap"}})",
     kRoot,
     "",
     {{"/result/declared/target", "news"}, {"/result/declared/declared_by", "root"}}},
    {"maintenance list",
     R"({"command":"maintenance"})",
     kNobody,
     "",
     {{"/result/windows/0/target", "news"}, {"/result/windows/0/reason", "server swap"}}},
    {"verify after the changes", R"({"command":"verify"})", kRoot, "", {{"/result/intact", true}}},
};

TEST_F(ControlCommandsTest, EachRequestGetsItsAnswer) {
  ASSERT_NO_FATAL_FAILURE(outage_and_a_fetched_page());
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name + ": " + c.request);
    const json::value answer = call(c.request, c.uid);
    const std::string shown = json::serialize(answer);
    if (c.error.empty()) {
      ASSERT_EQ(answer.as_object().at("ok"), true) << shown;
    } else {
      ASSERT_EQ(answer.as_object().at("ok"), false) << shown;
      EXPECT_NE(std::string(answer.as_object().at("error").as_string()).find(c.error), std::string::npos) << shown;
    }
    for (const auto& [pointer, expected] : c.fields) {
      boost::system::error_code ec;
      const json::value* found = answer.find_pointer(pointer, ec);
      ASSERT_NE(found, nullptr) << pointer << " missing in " << shown;
      EXPECT_EQ(*found, expected) << pointer << " in " << shown;
    }
  }
}

// The page-evidence kinds and a blind spot, as the commands show them: a
// hidden link on "news" opens at once, cannot be resolved by hand, and the
// target's row says what the check could not see.
TEST_F(ControlCommandsTest, NewKindsAndBlindSpotsAreShown) {
  observe_news_page([](CheckVerdict& page) {
    page.hidden_links = {{"http://bet.example/", "display:none on <div class=\"f\">"}};
    page.blind_spot = "region_empty: //div[@id='news']";
  });
  if (HasFatalFailure()) return;

  const json::object incidents = call(R"({"command":"incidents"})", kNobody);
  EXPECT_EQ(incidents.at("result").at("incidents").at(0).at("kind"), "hidden_link") << json::serialize(incidents);
  const json::object detail = call(R"({"command":"show","args":{"id":1}})", kNobody);
  EXPECT_EQ(detail.at("result").at("incident").at("detail"), "http://bet.example/ (display:none on <div class=\"f\">)")
      << json::serialize(detail);
  const json::object refused = call(R"({"command":"resolve","args":{"id":1,"note":"x"}})", kRoot);
  EXPECT_EQ(refused.at("ok"), false);
  EXPECT_NE(json::serialize(refused).find("cannot be resolved by hand"), std::string::npos) << json::serialize(refused);

  const json::object targets = call(R"({"command":"targets"})", kNobody);
  const json::value& news = targets.at("result").at("targets").at(1);
  EXPECT_EQ(news.at("id"), "news");
  EXPECT_EQ(news.at("blind_spot"), "region_empty: //div[@id='news']");
  EXPECT_EQ(news.at("hidden_links"), (json::array{"http://bet.example/"}));
}

// Personal data on "news": the incident and the target's row carry each
// kind, its count and masked examples, never a full number.
TEST_F(ControlCommandsTest, PrivacyLeakIsShownMasked) {
  observe_news_page([](CheckVerdict& page) {
    page.personal_data = {{"id_number", 3, {"440306********1232", "320583********4561", "110105********002X"}}};
  });
  if (HasFatalFailure()) return;

  const json::object detail = call(R"({"command":"show","args":{"id":1}})", kNobody);
  EXPECT_EQ(detail.at("result").at("incident").at("kind"), "privacy_leak") << json::serialize(detail);
  EXPECT_EQ(detail.at("result").at("incident").at("detail"),
            "id_number 3 (440306********1232, 320583********4561, 110105********002X)")
      << json::serialize(detail);
  const json::object targets = call(R"({"command":"targets"})", kNobody);
  const json::value& news = targets.at("result").at("targets").at(1);
  EXPECT_EQ(news.at("personal_data"),
            (json::array{json::object{
                {"kind", "id_number"},
                {"count", 3},
                {"examples", json::array{"440306********1232", "320583********4561", "110105********002X"}}}}));
}

}  // namespace
}  // namespace netwarden
