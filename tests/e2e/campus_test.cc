// The campus scenario: the test a new maintainer reads to see the product
// work end to end.
//
// A small campus on one machine: nginx serves the portal and two department
// sites, aiosmtpd is the campus mail relay, and a network namespace joined
// by a veth pair is the lab's internal segment. netwardend (the build's, or
// the installed one: see tests/support/daemon_harness.h) watches all of it
// on a second-scale config. Four things happen, one after the other:
//
//   1. The computer-science site goes down past its 6s threshold, then
//      comes back.
//   2. The portal is defaced with harmful text, then restored.
//   3. The library publishes a real change, which is approved.
//   4. A lab host reaches an outside address, then stops.
//
// Afterwards the test checks the incidents and their timelines, the e-mails
// each person received and in what order, what the computer-science
// college's WeCom group robot and the institution's DingTalk robot showed,
// the SMS the first responsible person got through Tencent Cloud
// (tests/support/chat_receiver.py stands in for all three), and that the
// ledger verifies.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <tuple>

#include "tests/support/chat_receiver.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/veth_namespace.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string page(const std::string& title, const std::string& text) {
  return "<html><head><title>" + title + "</title></head><body><p>" + text + "</p></body></html>";
}

constexpr const char* kWecomKey = "cs-robot-key";
constexpr const char* kDingToken = "office-robot-token";
constexpr const char* kSmsSecretKey = "campus-sms-key";

const std::string kPortal = page("某某大学", "某某大学 欢迎您");
const std::string kDefaced = page("某某大学", "某某大学 网上赌博 注册送彩金");
const std::string kComputing = page("计算机学院", "计算机学院 招生信息");
const std::string kLibrary = page("图书馆", "图书馆 开放时间 8:00-22:00");
const std::string kLibraryNew = page("图书馆", "图书馆 开放时间 7:30-23:00 考试周延长开放");

// Who is responsible for what. Everyone shares one chain:
//   0s operator · 3s security officer and head · 5s office · 10s first responsible
// The computer-science site's threshold is 6s: crossing it tells the top
// of the chain (the first responsible person) at once.
std::string campus_config(const TempDir& dir, const NginxServer& web, const SmtpServer& mail,
                          const ChatReceiver& robots, const TestCertificate& cert, const std::string& lab_interface) {
  std::ofstream(dir.file("harmful.txt")) << "赌博\n彩金\n";
  std::ofstream(dir.file("cs-wecom.token")) << kWecomKey << "\n";
  std::ofstream(dir.file("office-ding.token")) << kDingToken << "\n";
  std::ofstream(dir.file("sms.secret")) << kSmsSecretKey << "\n";
  std::string text = daemon_section(dir, "info") + "\n[incidents]\nrecovery_window = \"1s\"\n\n" +
                     smtp_mail(mail.relay(), "from_name = \"网络安全监测\"\n") + "\n";
  for (const Person& p :
       {Person{"zhang", "张伟", "", "zhangwei@example.edu.cn"}, Person{"li", "李娜", "", "lina@example.edu.cn"},
        Person{"wang", "王芳", "zh", "wangfang@example.edu.cn"},
        Person{"zhao", "Zhao Lei", "en", "zhaolei@example.edu.cn"},
        Person{"chen", "陈静", "", "chenjing@example.edu.cn"}}) {
    text += person_section(p);
  }
  // The first responsible person reads SMS first of all.
  text += "mobile = \"13900001111\"\nchannels = [\"email\", \"leader_sms\"]\n";
  for (const auto& [id, name] : {std::pair{"it", "信息中心"}, {"cs", "计算机学院"}, {"lib", "图书馆"}}) {
    text += unit_section({id, name, {"zhang"}, {"li"}, {"wang"}});
    if (std::string(id) == "cs") text += "channels = [\"cs_wecom\"]\n";
  }
  for (const auto& [id, kind, path, token] :
       {std::tuple{"cs_wecom", "wecom", "/cgi-bin/webhook/send", "cs-wecom.token"},
        {"office_ding", "dingtalk", "/robot/send", "office-ding.token"}}) {
    text += "\n[channels." + std::string(id) + "]\nkind = \"" + kind + "\"\nurl = \"" + robots.url(path) +
            "\"\ntoken_file = \"" + dir.file(token) + "\"\nca_file = \"" + cert.cert_path + "\"\n";
  }
  text += "\n[channels.leader_sms]\nkind = \"tencent_sms\"\nurl = \"" + robots.url("/") +
          "\"\nkey_id = \"AKIDcampus\"\nsecret_file = \"" + dir.file("sms.secret") +
          "\"\napp_id = \"1400000001\"\nsign_name = \"某某大学\"\ntemplate = \"2001\"\n"
          "params = [\"incident\", \"site\", \"reason\"]\nca_file = \"" +
          cert.cert_path + "\"\n";
  text += "\n[institution]\noffice = [\"zhao\"]\nfirst_responsible = [\"chen\"]\nchannels = [\"office_ding\"]\n" +
          chain_section("standard", {{"0s", {"operator"}},
                                     {"3s", {"security_officer", "head"}},
                                     {"5s", {"office"}},
                                     {"10s", {"first_responsible"}}}) +
          "\n[defaults]\ninterval = \"250ms\"\ntimeout = \"250ms\"\nchain = \"standard\"\nharmful_keywords = \"" +
          dir.file("harmful.txt") + "\"\n";
  const auto site = [&](const std::string& id, const std::string& name, const std::string& unit,
                        const std::string& extra) {
    return web_target({.id = id,
                       .url = web.url("/" + id + ".html"),
                       .name = name,
                       .chain = "",
                       .interval = "",
                       .extra = extra,
                       .unit = unit});
  };
  text += site("portal", "学校门户网站", "it", "") + site("cs", "计算机学院网站", "cs", "threshold = \"6s\"\n") +
          site("library", "图书馆网站", "lib", "");
  return text +
         isolation_watch("lab_net", "pcap",
                         "interface = \"" + lab_interface +
                             "\"\ninternal = [\"203.0.113.2/32\"]\nquiet_period = \"2s\"\nevidence_packets = 10\n",
                         "cs", "standard");
}

class CampusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        start_site(web_, {{"portal.html", kPortal}, {"cs.html", kComputing}, {"library.html", kLibrary}}));
    auto mail = SmtpServer::start({});
    ASSERT_TRUE(mail) << mail.error().message;
    mail_ = std::move(*mail);
    auto cert = make_test_certificate(dir_.path());
    ASSERT_TRUE(cert) << cert.error().message;
    auto robots = ChatReceiver::start({.wecom_key = kWecomKey,
                                       .dingtalk_token = kDingToken,
                                       .tencent_secret_id = "AKIDcampus",
                                       .tencent_secret_key = kSmsSecretKey,
                                       .tencent_app_id = "1400000001",
                                       .tencent_sign_name = "某某大学",
                                       .tencent_template = "2001",
                                       .tencent_template_vars = "3",
                                       .tencent_number_rate = "20/30"},
                                      *cert);
    ASSERT_TRUE(robots) << robots.error().message;
    robots_ = std::move(*robots);
    ASSERT_TRUE(lab_.create());
    std::ofstream(config_) << campus_config(dir_, *web_, *mail_, *robots_, *cert, lab_.host_interface());
  }

  // The incidents about `target`, as netwardenctl --json shows them.
  std::vector<json::object> incidents_of(const std::string& target) {
    std::vector<json::object> out;
    json::value listed = daemon_.ctl_json({"incidents", "--all"});
    if (listed.is_null()) return out;
    for (const auto& i : listed.at("incidents").as_array()) {
      if (i.at("target").as_string() == target) out.push_back(i.as_object());
    }
    return out;
  }

  // Waits until `target` has `count` incidents, all resolved.
  bool all_resolved(const std::string& target, std::size_t count, std::chrono::seconds limit = 20s) {
    return daemon_.wait_until(
        [&] {
          auto found = incidents_of(target);
          return found.size() == count && std::all_of(found.begin(), found.end(), [](const json::object& i) {
                   return i.at("state") == "resolved";
                 });
        },
        limit);
  }

  bool has_open(const std::string& target, const std::string& kind) {
    return daemon_.wait_until([&] {
      for (const auto& i : incidents_of(target)) {
        if (i.at("kind").as_string() == kind && i.at("state") == "open") return true;
      }
      return false;
    });
  }

  // Every e-mail queued, per person in the order queued: "target kind: why".
  std::map<std::string, std::vector<std::string>> mailboxes() {
    std::map<std::string, std::vector<std::string>> out;
    const std::string rows = daemon_.sql(
        "SELECT o.person, json_extract(i.state_json, '$.target') || ' ' || i.kind || ': ' || o.reasons"
        " FROM outbox o JOIN incidents i ON i.id = o.incident_id WHERE o.channel = 'email' ORDER BY o.id");
    for (std::size_t start = 0, end; (end = rows.find('\n', start)) != std::string::npos; start = end + 1) {
      const std::string line = rows.substr(start, end - start);
      const auto bar = line.find('|');
      out[line.substr(0, bar)].push_back(line.substr(bar + 1));
    }
    return out;
  }

  TempDir dir_{"netwarden-campus"};
  std::unique_ptr<NginxServer> web_;
  std::unique_ptr<SmtpServer> mail_;
  std::unique_ptr<ChatReceiver> robots_;
  VethNamespace lab_;
  std::string config_ = dir_.file("netwarden.toml");
  DaemonHarness daemon_{dir_};

  // The incident numbers a robot showed, in order, one per line; every
  // request accepted.
  std::string robot_saw(const std::string& provider) {
    std::string out;
    const std::regex numbered("事件编号：([0-9]+)");
    for (const auto& request : robots_->requests(provider)) {
      EXPECT_TRUE(request.at("accepted").as_bool()) << json::serialize(request);
      const json::object& body = request.at("body").as_object();
      const std::string text(provider == "wecom" ? body.at("markdown").at("content").as_string()
                                                 : body.at("text").at("content").as_string());
      for (std::sregex_iterator m(text.begin(), text.end(), numbered), end; m != end; ++m) out += (*m)[1].str() + "\n";
    }
    return out;
  }
};

TEST_F(CampusTest, OutageDefacementApprovalAndIsolationBreach) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value targets = daemon_.ctl_json({"targets"});
    if (targets.is_null()) return false;
    for (const auto& t : targets.at("targets").as_array()) {
      if (t.at("state") != "up") return false;
    }
    return true;
  })) << daemon_.log();
  // Healthy targets are quiet rows: no note such as a blind spot.
  const Finished targets = daemon_.ctl({"targets"});
  EXPECT_EQ(targets.out.find("BLIND SPOT"), std::string::npos) << targets.out;

  // 1. The computer-science site goes down, past its threshold, and back.
  std::filesystem::remove(web_->root() + "/cs.html");
  ASSERT_TRUE(has_open("cs", "site_down")) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_until([&] {
    auto found = incidents_of("cs");
    return found.size() == 1 && found[0].at("threshold_crossed_at").is_string();
  })) << daemon_.log();
  web_->write_file("cs.html", kComputing);
  ASSERT_TRUE(all_resolved("cs", 1)) << daemon_.log();

  // 2. The portal is defaced with gambling words, and restored.
  web_->write_file("portal.html", kDefaced);
  ASSERT_TRUE(has_open("portal", "harmful_content")) << daemon_.log();
  ASSERT_TRUE(has_open("portal", "content_changed")) << daemon_.log();
  web_->write_file("portal.html", kPortal);
  ASSERT_TRUE(all_resolved("portal", 2)) << daemon_.log();

  // 3. The library publishes new opening hours; the head approves them.
  web_->write_file("library.html", kLibraryNew);
  ASSERT_TRUE(has_open("library", "content_changed")) << daemon_.log();
  Finished approved = daemon_.ctl({"approve", "library", "--note", "考试周开放时间", "--as", "wang"});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  ASSERT_TRUE(all_resolved("library", 1)) << daemon_.log();

  // 4. A lab host reaches an outside address, then stops.
  ASSERT_TRUE(lab_.send_udp("203.0.113.1", 443, 20));
  ASSERT_TRUE(has_open("lab_net", "isolation_breach")) << daemon_.log();
  ASSERT_TRUE(all_resolved("lab_net", 1)) << daemon_.log();

  // Every e-mail is delivered; then the mailboxes are what each person's
  // role says, in order.
  ASSERT_TRUE(daemon_.wait_until([&] {
    return daemon_.sql("SELECT count(*) FROM outbox WHERE state != 'sent'") == "0\n";
  })) << daemon_.log();
  using Mail = std::vector<std::string>;
  const std::map<std::string, Mail> expected = {
      {"zhang",
       {"cs site_down: step 1", "cs site_down: resolved", "portal harmful_content: step 1",
        "portal content_changed: step 1", "portal harmful_content: resolved", "portal content_changed: resolved",
        "library content_changed: step 1", "library content_changed: resolved", "lab_net isolation_breach: step 1",
        "lab_net isolation_breach: resolved"}},
      {"li", {"cs site_down: step 2", "cs site_down: resolved"}},
      {"wang", {"cs site_down: step 2", "cs site_down: resolved"}},
      {"zhao", {"cs site_down: step 3", "cs site_down: resolved"}},
      {"chen",
       {"cs site_down: threshold", "cs site_down: resolved", "portal harmful_content: harmful content",
        "portal harmful_content: resolved"}},
  };
  EXPECT_EQ(mailboxes(), expected);

  // What the relay got: each queued message once, to the right address.
  std::string received;
  for (const auto& raw : mail_->messages()) {
    const auto open = raw.find('<', raw.find("Message-ID:"));
    received += raw.substr(open, raw.find('>', open) - open + 1) + "\n";
  }
  EXPECT_EQ(received, daemon_.sql("SELECT message_id FROM outbox WHERE channel = 'email' ORDER BY id"));

  // The robots: the college's group saw its own incidents (its site and its
  // lab), the institution's every incident, each in the order decided, a
  // message per incident per decision (merged when several fell due at once).
  EXPECT_EQ(robot_saw("wecom"), daemon_.sql("SELECT incident_id FROM outbox WHERE channel = 'cs_wecom' ORDER BY id"));
  EXPECT_EQ(robot_saw("dingtalk"),
            daemon_.sql("SELECT incident_id FROM outbox WHERE channel = 'office_ding' ORDER BY id"));
  EXPECT_EQ(daemon_.sql("SELECT DISTINCT json_extract(i.state_json, '$.target') FROM outbox o JOIN incidents i"
                        " ON i.id = o.incident_id WHERE o.channel = 'cs_wecom' ORDER BY 1"),
            "cs\nlab_net\n");
  EXPECT_EQ(daemon_.sql("SELECT count(DISTINCT incident_id) FROM outbox WHERE channel = 'office_ding'"), "5\n");

  // The first responsible person's SMS: the same four messages as their
  // e-mails, in order, each the approved template with its three facts
  // (the reason cut to Tencent's 12 characters).
  std::string sms;
  for (const auto& request : robots_->requests("tencent_sms")) {
    EXPECT_TRUE(request.at("accepted").as_bool()) << json::serialize(request);
    EXPECT_EQ(request.at("body").at("PhoneNumberSet"), json::parse(R"(["+8613900001111"])"));
    for (const auto& param : request.at("body").at("TemplateParamSet").as_array())
      sms += std::string(param.as_string()) + " ";
    sms.back() = '\n';
  }
  const std::string cs_id = daemon_.sql("SELECT id FROM incidents WHERE json_extract(state_json, '$.target') = 'cs'");
  const std::string defaced = daemon_.sql("SELECT id FROM incidents WHERE kind = 'harmful_content'");
  const auto id = [](std::string line) { return line.substr(0, line.size() - 1); };
  EXPECT_EQ(sms, id(cs_id) + " 计算机学院网站 已超过阈值\n" + id(cs_id) + " 计算机学院网站 已恢复\n" + id(defaced) +
                     " 学校门户网站 出现有害信息，直接报告最\n" + id(defaced) + " 学校门户网站 已恢复\n");

  // The timelines say what happened and who acted.
  const auto cs = incidents_of("cs");
  Finished shown = daemon_.ctl({"show", std::to_string(cs[0].at("id").as_int64())});
  for (const char* expected_text : {"site_down of cs", "threshold_crossed", "step_fired", "resolved", "mail_sent"}) {
    EXPECT_NE(shown.out.find(expected_text), std::string::npos) << expected_text << " in\n" << shown.out;
  }
  EXPECT_EQ(cs[0].at("severity"), "significant");  // raised one grade at the threshold
  EXPECT_EQ(daemon_.sql("SELECT actor FROM ledger WHERE type = 'approved'"), "root as wang\n");
  const auto lab = incidents_of("lab_net");
  EXPECT_EQ(lab[0].at("host"), "203.0.113.2");
  EXPECT_TRUE(std::filesystem::exists(std::string(lab[0].at("evidence").as_string())));

  Finished listed = daemon_.ctl({"incidents", "--all"});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 6) << "a header and five incidents:\n"
                                                                       << listed.out;
  Finished verify = daemon_.ctl({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(daemon_.stop(), 0);
}

}  // namespace
}  // namespace netwarden::test
