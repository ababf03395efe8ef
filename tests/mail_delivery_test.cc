// End to end: escalation e-mails from a real netwardend through a real SMTP
// relay (python3-aiosmtpd on loopback), read back with Python's MIME parser.
// The site is a real nginx; second-scale chain and retry settings.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kPage = "<html><head><title>图书馆</title></head><body><p>图书馆 开放时间</p></body></html>";

// What a mail client sees: the decoded headers and body, as JSON.
const char* kParse = R"py(
import email, json, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
print(json.dumps({
    'subject': str(m['subject']), 'to': str(m['to']), 'message_id': str(m['message-id']).strip(),
    'in_reply_to': str(m['in-reply-to'] or '').strip(), 'references': str(m['references'] or '').split(),
    'body': m.get_content(), 'defects': len(m.defects) + sum(len(m[h].defects) for h in m.keys()),
}))
)py";

class MailDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(start_site(nginx_, {{"index.html", kPage}})); }

  void start_relay(SmtpOptions options) {
    auto started = SmtpServer::start(options);
    ASSERT_TRUE(started) << started.error().message;
    smtp_ = std::move(*started);
  }

  void write_config(const std::string& relay) {
    World world{.recovery_window = "1s"};
    world.mail = smtp_mail(relay, "from_name = \"网络安全监测\"\nwarn_undelivered_after = \"1s\"\n");
    world.chains = {{"c", {{"0s", {"operator"}}, {"1s", {"security_officer"}}}}};
    world.extra = web_target({.id = "library", .url = nginx_->url("/index.html"), .name = "图书馆网站"});
    std::ofstream(config_) << world_config(dir_, world);
  }

  void take_site_down() { std::filesystem::remove(nginx_->root() + "/index.html"); }

  json::object parsed(const std::string& raw) {
    const std::string path = dir_.file("mail-" + std::to_string(parsed_++) + ".eml");
    std::ofstream(path, std::ios::binary) << raw;
    Finished f = run_program({"/usr/bin/python3", "-c", kParse, path});
    EXPECT_EQ(f.exit_code, 0) << f.err;
    return f.exit_code == 0 ? json::parse(f.out).as_object() : json::object{};
  }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }

  bool wait_for_mails(std::size_t count) {
    return daemon_.wait_until([&] { return smtp_->messages().size() >= count; }, 20s);
  }

  TempDir dir_{"netwarden-mail"};
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<SmtpServer> smtp_;
  std::string config_ = dir_.file("netwarden.toml");
  DaemonHarness daemon_{dir_};
  int parsed_ = 0;
};

TEST_F(MailDeliveryTest, EachPersonGetsOneThreadInTheirLanguage) {
  ASSERT_NO_FATAL_FAILURE(start_relay({}));
  write_config(smtp_->relay());
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM samples") != "0\n"; })) << daemon_.log();
  take_site_down();
  ASSERT_TRUE(wait_for_mails(2)) << daemon_.log() << smtp_->log();
  nginx_->write_file("index.html", kPage);
  ASSERT_TRUE(wait_for_mails(4)) << daemon_.log() << smtp_->log();
  // Nothing more should come: the outbox empties and checks go on.
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM outbox WHERE state != 'sent'") == "0\n"; }))
      << daemon_.log();
  ASSERT_TRUE(daemon_.wait_checks_grown(2)) << daemon_.log();

  const auto raw = smtp_->messages();
  ASSERT_EQ(raw.size(), 4u);
  const auto envelopes = smtp_->envelopes();
  std::map<std::string, std::vector<json::object>> by_person;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    json::object m = parsed(raw[i]);
    EXPECT_EQ(m.at("defects").as_int64(), 0) << raw[i];
    EXPECT_EQ(envelopes[i].from, "netwarden@example.edu.cn");
    ASSERT_EQ(envelopes[i].recipients.size(), 1u);
    by_person[envelopes[i].recipients[0]].push_back(std::move(m));
  }
  ASSERT_EQ(by_person["op@example.edu.cn"].size(), 2u);
  ASSERT_EQ(by_person["so@example.edu.cn"].size(), 2u);

  // The operator reads Chinese first, then English; the officer English only.
  const auto& op_first = by_person["op@example.edu.cn"][0];
  const std::string op_subject(op_first.at("subject").as_string());
  EXPECT_TRUE(op_subject.starts_with("【网络安全事件·一般】图书馆网站 127.0.0.1 无法访问，已持续")) << op_subject;
  EXPECT_NE(op_subject.find(" / [Security incident · general]"), std::string::npos) << op_subject;
  EXPECT_NE(std::string(op_first.at("body").as_string()).find("netwardenctl ack "), std::string::npos);
  const std::string so_subject(by_person["so@example.edu.cn"][0].at("subject").as_string());
  EXPECT_TRUE(so_subject.starts_with("[Security incident · general] 图书馆网站 (127.0.0.1) unreachable")) << so_subject;
  EXPECT_EQ(so_subject.find("网络安全事件"), std::string::npos) << so_subject;

  // Each person's resolution notice threads under the first message they got.
  for (const auto& [person, mails] : by_person) {
    const std::string root(mails[0].at("message_id").as_string());
    EXPECT_EQ(mails[0].at("in_reply_to").as_string(), "") << person;
    EXPECT_EQ(mails[1].at("in_reply_to").as_string(), root) << person;
    ASSERT_EQ(mails[1].at("references").as_array().size(), 1u) << person;
    EXPECT_EQ(mails[1].at("references").as_array()[0].as_string(), root) << person;
  }

  // Recorded as sent, in the outbox, the ledger and status.
  EXPECT_EQ(sql("SELECT state, count(*) FROM outbox GROUP BY state"), "sent|4\n");
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'mail_sent'"), "4\n");
  json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  EXPECT_EQ(status.at("mail").at("sent"), 4);
  EXPECT_EQ(status.at("mail").at("warning"), false);
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
}

TEST_F(MailDeliveryTest, MailQueuedWhileTheRelayIsDownIsDeliveredOnceItIsBack) {
  ASSERT_NO_FATAL_FAILURE(start_relay({}));
  const int port = smtp_->port();
  smtp_->stop();
  write_config("smtp://127.0.0.1:" + std::to_string(port));
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM samples") != "0\n"; })) << daemon_.log();
  take_site_down();

  // Undelivered: queued, retried, and shown as a warning once it is late.
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value status = daemon_.ctl_json({"status"});
    return !status.is_null() && status.at("mail").at("queued").as_int64() >= 2 &&
           status.at("mail").at("warning").as_bool();
  })) << daemon_.log();
  Finished table = daemon_.ctl({"status"});
  EXPECT_NE(table.out.find("WARNING: e-mail is not getting through"), std::string::npos) << table.out;
  EXPECT_NE(sql("SELECT last_error FROM outbox WHERE attempts > 0").find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << daemon_.log();

  ASSERT_NO_FATAL_FAILURE(start_relay({.port = port}));
  ASSERT_TRUE(wait_for_mails(2)) << daemon_.log() << smtp_->log();
  // Several retry periods (retry_max is 1s), with checks every 250 ms: no second copy.
  ASSERT_TRUE(daemon_.wait_checks_grown(8)) << daemon_.log();
  std::set<std::string> ids;
  for (const auto& raw : smtp_->messages()) ids.insert(std::string(parsed(raw).at("message_id").as_string()));
  EXPECT_EQ(smtp_->messages().size(), 2u);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(sql("SELECT state, count(*) FROM outbox GROUP BY state"), "sent|2\n");
}

TEST_F(MailDeliveryTest, AKillBetweenSentAndRecordedCausesOneDuplicateWithTheSameMessageId) {
  // The relay saves each message, then waits 2s before saying so.
  ASSERT_NO_FATAL_FAILURE(start_relay({.hold_reply = 2s}));
  write_config(smtp_->relay());
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM samples") != "0\n"; })) << daemon_.log();
  take_site_down();
  ASSERT_TRUE(wait_for_mails(1)) << daemon_.log() << smtp_->log();
  daemon_.kill9();  // the relay has the first message; the daemon never heard "250"
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE id = 1"), "sending\n");

  daemon_.start();
  ASSERT_TRUE(
      daemon_.wait_until([&] { return sql("SELECT count(*) FROM outbox WHERE state != 'sent'") == "0\n"; }, 30s))
      << daemon_.log() << smtp_->log();
  std::map<std::string, int> copies;
  for (const auto& raw : smtp_->messages()) ++copies[std::string(parsed(raw).at("message_id").as_string())];
  const std::string first = sql("SELECT message_id FROM outbox WHERE id = 1");
  EXPECT_EQ(copies[first.substr(0, first.find('\n'))], 2) << "the interrupted message is sent again, once";
  for (const auto& [id, n] : copies) EXPECT_LE(n, 2) << id;
  EXPECT_EQ(sql("SELECT count(*) FROM outbox"), std::to_string(copies.size()) + "\n");
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'mail_sent'"), std::to_string(copies.size()) + "\n");
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
}

TEST_F(MailDeliveryTest, ARefusedRecipientIsAFailedMailShownInStatusAndShow) {
  ASSERT_NO_FATAL_FAILURE(start_relay({.reject_recipients = true}));
  write_config(smtp_->relay());
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM samples") != "0\n"; })) << daemon_.log();
  take_site_down();
  // Both steps' mails (operator, then officer) are refused for good.
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM outbox WHERE state = 'failed'") == "2\n"; }))
      << daemon_.log();

  json::value status = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status.is_null());
  EXPECT_EQ(status.at("mail").at("failed"), 2);
  EXPECT_EQ(status.at("mail").at("warning"), true);
  const std::string id = sql("SELECT incident_id FROM outbox LIMIT 1");
  Finished shown = daemon_.ctl({"show", id.substr(0, id.find('\n'))});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("op <op@example.edu.cn>"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("failed"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("550"), std::string::npos) << shown.out;
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'mail_failed'"), "2\n");
  EXPECT_TRUE(smtp_->messages().empty());
}

}  // namespace
}  // namespace netwarden::test
