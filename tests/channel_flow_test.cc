// End to end: notifications from a real netwardend to WeCom, DingTalk and
// Feishu robots, signed webhooks and the Alibaba Cloud and Tencent Cloud SMS
// services, received by tests/support/chat_receiver.py,
// which checks every request as each provider documents it (signatures,
// timestamps, fields; the pages are cited there) and answers as the provider
// does. Sites that are down at once (closed ports); second-scale retries.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/chat_receiver.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/received_mail.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kWecomKey = "wecom-key-3a7f";
constexpr const char* kDingToken = "ding-token-91c2";
constexpr const char* kDingSecret = "SEC0123456789abcdef";
constexpr const char* kFeishuToken = "feishu-hook-5d1e";
constexpr const char* kFeishuSecret = "feishu-secret-77";
constexpr const char* kHookSecret = "hook-secret-42";
constexpr const char* kAliyunSecret = "aliyun-secret-9";
constexpr const char* kTencentKey = "tencent-key-3";
constexpr const char* kMobile = "13812345678";

std::string text_of(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }

// What a robot showed in its group: WeCom's markdown, DingTalk's and Feishu's text.
std::string shown(const json::object& request) {
  const json::object& body = request.at("body").as_object();
  const std::string provider = text_of(request.at("provider"));
  if (provider == "wecom") return text_of(body.at("markdown").at("content"));
  if (provider == "dingtalk") return text_of(body.at("text").at("content"));
  if (provider == "feishu") return text_of(body.at("content").at("text"));
  return text_of(body.at("text"));
}

bool accepted(const json::object& request) { return request.at("accepted").as_bool(); }

class ChannelFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cert = make_test_certificate(dir_.path());
    ASSERT_TRUE(cert) << cert.error().message;
    cert_ = *cert;
    for (const auto& [name, text] : {std::pair{"wecom.token", kWecomKey},
                                     {"ding.token", kDingToken},
                                     {"ding.secret", kDingSecret},
                                     {"feishu.token", kFeishuToken},
                                     {"feishu.secret", kFeishuSecret},
                                     {"hook.secret", kHookSecret},
                                     {"ali.secret", kAliyunSecret},
                                     {"tc.secret", kTencentKey}}) {
      std::ofstream(dir_.file(name)) << text << "\n";
    }
  }

  void start_receiver(std::string rate = "") {
    auto started = ChatReceiver::start({.wecom_key = kWecomKey,
                                        .dingtalk_token = kDingToken,
                                        .dingtalk_secret = kDingSecret,
                                        .feishu_token = kFeishuToken,
                                        .feishu_secret = kFeishuSecret,
                                        .webhook_secret = kHookSecret,
                                        .rate = std::move(rate),
                                        .aliyun_key_id = "LTAI5tTestKey",
                                        .aliyun_secret = kAliyunSecret,
                                        .aliyun_sign_name = "示例大学",
                                        .aliyun_template = "SMS_480000001",
                                        .aliyun_template_vars = "code,site,kind",
                                        .tencent_secret_id = "AKIDtestSecretId",
                                        .tencent_secret_key = kTencentKey,
                                        .tencent_app_id = "1400000001",
                                        .tencent_sign_name = "示例大学",
                                        .tencent_template = "2001",
                                        .tencent_template_vars = "3",
                                        .tencent_number_rate = "20/30"},
                                       cert_);
    ASSERT_TRUE(started) << started.error().message;
    receiver_ = std::move(*started);
  }

  // [channels.ID] of `kind` on the receiver, with `extra` lines.
  std::string channel(const std::string& id, const std::string& kind, const std::string& extra = "") const {
    std::string text = "\n[channels." + id + "]\nkind = \"" + kind + "\"\nca_file = \"" + cert_.cert_path + "\"\n";
    if (kind == "wecom") {
      text += "url = \"" + receiver_->url("/cgi-bin/webhook/send") + "\"\ntoken_file = \"" + dir_.file("wecom.token");
    } else if (kind == "dingtalk") {
      text += "url = \"" + receiver_->url("/robot/send") + "\"\ntoken_file = \"" + dir_.file("ding.token") +
              "\"\nsecret_file = \"" + dir_.file("ding.secret");
    } else if (kind == "feishu") {
      text += "url = \"" + receiver_->url("/open-apis/bot/v2/hook/") + "\"\ntoken_file = \"" +
              dir_.file("feishu.token") + "\"\nsecret_file = \"" + dir_.file("feishu.secret");
    } else if (kind == "aliyun_sms") {
      text += "url = \"" + receiver_->url("/") +
              "\"\nkey_id = \"LTAI5tTestKey\"\nsign_name = \"示例大学\"\n"
              "template = \"SMS_480000001\"\nparams = { code = \"incident\", site = \"site\", kind = \"kind\" }\n"
              "secret_file = \"" +
              dir_.file("ali.secret");
    } else if (kind == "tencent_sms") {
      text += "url = \"" + receiver_->url("/") +
              "\"\nkey_id = \"AKIDtestSecretId\"\napp_id = \"1400000001\"\n"
              "sign_name = \"示例大学\"\ntemplate = \"2001\"\nparams = [\"incident\", \"kind\", \"reason\"]\n"
              "secret_file = \"" +
              dir_.file("tc.secret");
    } else {
      text += "url = \"" + receiver_->url("/hook/" + id) + "\"\nsecret_file = \"" + dir_.file("hook.secret");
    }
    return text + "\"\n" + extra;
  }

  // The world: op (值班员, with a mobile) and so (Sam Officer, English) told at once;
  // `op_channels`, `unit_channels`, `institution_channels` as lists; the
  // sites `targets` (all down); `channels` the [channels] sections.
  void write_config(const std::string& op_channels, const std::string& unit_channels,
                    const std::string& institution_channels, const std::string& channels, int targets = 1) {
    std::string text =
        daemon_section(dir_, "debug") +
        "\n[incidents]\nconfirm_failures = 1\n"
        "\n[mail]\ntransport = \"spool\"\nretry_max = \"1s\"\n\n" +
        person_section({"op", "值班员"}) + "channels = " + op_channels + "\nmobile = \"" + kMobile + "\"\n" +
        person_section({"so", "Sam Officer", "en"}) + person_section({"boss", "校长"}) +
        person_section({"office", "网信办"}) + unit_section({kUnit, "信息中心", {"op"}, {"so"}}) +
        "channels = " + unit_channels + "\n" +
        "\n[institution]\nfirst_responsible = [\"boss\"]\noffice = [\"office\"]\nchannels = " + institution_channels +
        "\n" + chain_section("c", {{"0s", {"operator", "security_officer"}}}) + channels;
    for (int i = 0; i < targets; ++i) {
      text += web_target({.id = "site" + std::to_string(i), .url = closed_port_url(), .interval = "1s"});
    }
    std::ofstream(dir_.file("netwarden.toml")) << text;
  }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }

  bool outbox_settled(const std::string& count) {
    return daemon_.wait_until(
        [&] {
          return sql("SELECT count(*) FROM outbox WHERE channel != 'email' AND state IN ('sent', 'failed')") ==
                 count + "\n";
        },
        30s);
  }

  TempDir dir_{"netwarden-channels"};
  TestCertificate cert_;
  std::unique_ptr<ChatReceiver> receiver_;
  DaemonHarness daemon_{dir_};
};

TEST_F(ChannelFlowTest, EachRobotGetsOneMessagePerDecisionAndEachWebhookItsOwn) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\", \"pager\"]", "[\"wecom\", \"ding\", \"feishu\"]", "[\"siem\"]",
               channel("wecom", "wecom") + channel("ding", "dingtalk", "mention = true\n") +
                   channel("feishu", "feishu") + channel("pager", "webhook") + channel("siem", "webhook"));
  daemon_.start();
  // Two people told: one message to each robot of the unit, one to the
  // institution's webhook and one to the operator's own.
  ASSERT_TRUE(outbox_settled("5")) << daemon_.log() << receiver_->output();
  ASSERT_TRUE(daemon_.wait_checks_grown(2)) << daemon_.log();
  EXPECT_EQ(sql("SELECT channel, person, state FROM outbox WHERE channel != 'email' ORDER BY channel"),
            "ding|unit it|sent\nfeishu|unit it|sent\npager|op|sent\nsiem|institution|sent\nwecom|unit it|sent\n");
  const std::string incident = sql("SELECT id FROM incidents");
  for (const std::string provider : {"wecom", "dingtalk", "feishu"}) {
    const auto got = receiver_->requests(provider);
    ASSERT_EQ(got.size(), 1U) << provider << receiver_->output();
    EXPECT_TRUE(accepted(got[0])) << json::serialize(got[0]);
    const std::string text = shown(got[0]);
    // Both languages, for a group: the subject's words and how to acknowledge.
    EXPECT_NE(text.find("【网络安全事件·一般】"), std::string::npos) << text;
    EXPECT_NE(text.find("[Security incident · general]"), std::string::npos) << text;
    EXPECT_NE(text.find("netwardenctl ack " + incident.substr(0, incident.size() - 1)), std::string::npos) << text;
  }
  // The DingTalk group @s the one person told who has a mobile.
  EXPECT_EQ(receiver_->requests("dingtalk")[0].at("body").at("at"),
            json::parse(R"({"atMobiles":["13812345678"],"isAtAll":false})"));
  const auto hooks = receiver_->requests("webhook");
  ASSERT_EQ(hooks.size(), 2U) << receiver_->output();
  std::set<std::string> paths;
  for (const auto& hook : hooks) {
    EXPECT_TRUE(accepted(hook)) << json::serialize(hook);
    paths.insert(text_of(hook.at("path")));
    const json::object& body = hook.at("body").as_object();
    EXPECT_EQ(body.at("event"), "notification");
    EXPECT_EQ(text_of(body.at("incident")) + "\n", incident);
    EXPECT_EQ(body.at("kind"), "site_down");
    EXPECT_EQ(body.at("unit"), "it");
  }
  EXPECT_EQ(paths, (std::set<std::string>{"/hook/pager", "/hook/siem"}));
  // The operator's own webhook carries their language only.
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'message_sent'"), "5\n");
  EXPECT_EQ(sql("SELECT group_concat(json_extract(details_json, '$.channel'), ',') FROM"
                " (SELECT details_json FROM ledger WHERE type = 'message_sent' ORDER BY 1)"),
            "ding,feishu,pager,siem,wecom\n");
  // And both e-mails still went.
  EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE channel = 'email' AND state = 'sent'"), "2\n");
}

TEST_F(ChannelFlowTest, ServerFaultsAreRetriedAndARefusalEndsWithTheProvidersCode) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\"]", "[\"wecom\"]", "[]", channel("wecom", "wecom"));
  ASSERT_TRUE(receiver_->control("fail?count=2&status=503"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state, attempts FROM outbox WHERE channel = 'wecom'"), "sent|3\n");
  const auto got = receiver_->requests("wecom");
  ASSERT_EQ(got.size(), 3U);
  EXPECT_FALSE(accepted(got[0]));
  EXPECT_FALSE(accepted(got[1]));
  EXPECT_TRUE(accepted(got[2]));
  EXPECT_NE(daemon_.log().find("HTTP 503"), std::string::npos);
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();

  // The robot's key revoked: WeCom answers 93000, and nothing is retried.
  ASSERT_TRUE(receiver_->control("errcode?count=100&code=93000"));
  std::filesystem::remove_all(dir_.file("state"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state, attempts FROM outbox WHERE channel = 'wecom'"), "failed|1\n");
  const std::string error = sql("SELECT last_error FROM outbox WHERE channel = 'wecom'");
  EXPECT_TRUE(error.starts_with("channel 'wecom' (wecom): code 93000")) << error;
  EXPECT_EQ(sql("SELECT json_extract(details_json, '$.error') FROM ledger WHERE type = 'message_failed'"), error);
  const std::string id = sql("SELECT id FROM incidents");
  const Finished show = daemon_.ctl({"show", id.substr(0, id.size() - 1)});
  EXPECT_NE(show.out.find("code 93000"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("unit it"), std::string::npos) << show.out;
  // `status` has a row per channel with its last failure, and warns.
  const Finished status = daemon_.ctl({"status"});
  EXPECT_NE(status.out.find("0 queued, 0 sent, 1 failed; last failure: channel 'wecom' (wecom): code 93000"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("WARNING: channel wecom is not getting through"), std::string::npos) << status.out;
  const json::value status_json = daemon_.ctl_json({"status"});
  ASSERT_FALSE(status_json.is_null());
  EXPECT_EQ(status_json.at("channels").at(0).at("channel"), "wecom");
  EXPECT_EQ(status_json.at("channels").at(0).at("failed"), 1);
  // The office hears which channel failed, by e-mail.
  ASSERT_TRUE(daemon_.wait_until([&] {
    return sql("SELECT person, state FROM outbox WHERE reasons = 'channel wecom failed'") == "office|sent\n";
  })) << sql("SELECT person, state, reasons FROM outbox");
  const auto notice = read_mails({sql("SELECT data FROM outbox WHERE reasons = 'channel wecom failed'")});
  ASSERT_EQ(notice.size(), 1U);
  EXPECT_EQ(notice[0].defects, 0);
  EXPECT_NE(notice[0].subject.find("[Channel failed] wecom"), std::string::npos) << notice[0].subject;
  EXPECT_NE(notice[0].body.find("code 93000"), std::string::npos) << notice[0].body;
  EXPECT_NE(notice[0].body.find("unit it"), std::string::npos) << notice[0].body;
}

TEST_F(ChannelFlowTest, SmsReachesAPersonsMobileThroughEitherService) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\", \"ali\", \"tc\"]", "[]", "[]", channel("ali", "aliyun_sms") + channel("tc", "tencent_sms"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("2")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT channel, person, address, state FROM outbox WHERE channel != 'email' ORDER BY channel"),
            "ali|op|channel ali to 13812345678|sent\ntc|op|channel tc to 13812345678|sent\n");
  std::string incident = sql("SELECT id FROM incidents");
  incident.pop_back();

  const auto ali = receiver_->requests("aliyun_sms");
  ASSERT_EQ(ali.size(), 1U) << receiver_->output();
  EXPECT_TRUE(accepted(ali[0])) << json::serialize(ali[0]);
  const json::object& form = ali[0].at("body").as_object();
  EXPECT_EQ(form.at("PhoneNumbers"), kMobile);
  EXPECT_EQ(json::parse(text_of(form.at("TemplateParam"))),
            json::parse(R"({"code":")" + incident + R"(","site":"site0","kind":"无法访问"})"));

  const auto tc = receiver_->requests("tencent_sms");
  ASSERT_EQ(tc.size(), 1U) << receiver_->output();
  EXPECT_TRUE(accepted(tc[0])) << json::serialize(tc[0]);
  EXPECT_EQ(tc[0].at("body").at("PhoneNumberSet"), json::parse(R"(["+8613812345678"])"));
  EXPECT_EQ(tc[0].at("body").at("TemplateParamSet"), json::parse(R"([")" + incident + R"(","无法访问","第1级通知"])"));
  EXPECT_EQ(sql("SELECT group_concat(json_extract(details_json, '$.channel'), ',') FROM"
                " (SELECT details_json FROM ledger WHERE type = 'message_sent' ORDER BY 1)"),
            "ali,tc\n");
  EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE channel = 'email' AND state = 'sent'"), "2\n");

  // A test SMS: the template's facts all say 测试, the number 0.
  const Finished test = daemon_.ctl({"test-notify", "op", "--channel", "tc"});
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  EXPECT_NE(test.out.find("code Ok (send success)"), std::string::npos) << test.out;
  const auto tested = receiver_->requests("tencent_sms");
  ASSERT_EQ(tested.size(), 2U);
  EXPECT_EQ(tested[1].at("body").at("TemplateParamSet"), json::parse(R"(["0","测试","测试"])"));
}

TEST_F(ChannelFlowTest, SmsRateLimitsWaitAndARefusedNumberEndsWithTheServicesCode) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\", \"ali\"]", "[]", "[]", channel("ali", "aliyun_sms"));
  // SendSms's minute-level flow control for the number, with HTTP 200.
  ASSERT_TRUE(receiver_->control("errcode?count=1&code=isv.BUSINESS_LIMIT_CONTROL"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state, attempts FROM outbox WHERE channel = 'ali'"), "sent|2\n");
  const auto ali = receiver_->requests("aliyun_sms");
  ASSERT_EQ(ali.size(), 2U);
  EXPECT_FALSE(accepted(ali[0]));
  EXPECT_TRUE(accepted(ali[1]));
  // Each attempt signed with its own nonce (a repeated one is refused).
  EXPECT_NE(ali[0].at("body").at("SignatureNonce"), ali[1].at("body").at("SignatureNonce"));
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();

  // Tencent refuses the number: no retry, the code in the outbox, the ledger and `show`.
  std::filesystem::remove_all(dir_.file("state"));
  write_config("[\"email\", \"tc\"]", "[]", "[]", channel("tc", "tencent_sms"));
  ASSERT_TRUE(receiver_->control("errcode?count=100&code=FailedOperation.PhoneNumberInBlacklist"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state, attempts FROM outbox WHERE channel = 'tc'"), "failed|1\n");
  const std::string error = sql("SELECT last_error FROM outbox WHERE channel = 'tc'");
  EXPECT_TRUE(error.starts_with("channel 'tc' (tencent_sms): code FailedOperation.PhoneNumberInBlacklist")) << error;
  EXPECT_EQ(sql("SELECT json_extract(details_json, '$.error') FROM ledger WHERE type = 'message_failed'"), error);
  std::string id = sql("SELECT id FROM incidents");
  id.pop_back();
  const Finished show = daemon_.ctl({"show", id});
  EXPECT_NE(show.out.find("PhoneNumberInBlacklist"), std::string::npos) << show.out;
  // The e-mail to the same person still went.
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE channel = 'email' AND person = 'op'"), "sent\n");
}

TEST_F(ChannelFlowTest, AProxyIsUsedWhenConfigured) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  auto proxy = ConnectProxy::start();
  ASSERT_TRUE(proxy) << proxy.error().message;
  write_config("[\"email\"]", "[\"feishu\"]", "[]",
               channel("feishu", "feishu", "proxy = \"" + (*proxy)->url() + "\"\n"));
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE channel = 'feishu'"), "sent\n");
  const auto tunnels = (*proxy)->log_lines();
  ASSERT_EQ(tunnels.size(), 1U) << (*proxy)->output();
  EXPECT_EQ(tunnels[0].at("method"), "CONNECT");
  EXPECT_EQ(text_of(tunnels[0].at("target")), "127.0.0.1:" + std::to_string(receiver_->port()));
}

TEST_F(ChannelFlowTest, AHundredIncidentsAtOnceReachARobotMergedWithinItsPace) {
  // The receiver refuses a sixth message within 2 s, as WeCom a 21st within a minute.
  ASSERT_NO_FATAL_FAILURE(start_receiver("5/2"));
  write_config("[\"email\"]", "[\"wecom\"]", "[]", channel("wecom", "wecom", "pace = \"5/2s\"\n"), 100);
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM incidents") == "100\n"; }, 30s))
      << daemon_.log();
  ASSERT_TRUE(outbox_settled("100")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE channel = 'wecom' AND state = 'sent'"), "100\n");
  const auto got = receiver_->requests("wecom");
  std::set<std::string> incidents;
  const std::regex numbered("事件编号：([0-9]+)");
  for (const auto& request : got) {
    EXPECT_TRUE(accepted(request)) << json::serialize(request);
    const std::string text = shown(request);
    for (std::sregex_iterator m(text.begin(), text.end(), numbered), end; m != end; ++m) incidents.insert((*m)[1]);
  }
  EXPECT_EQ(incidents.size(), 100U);
  EXPECT_LT(got.size(), 50U) << "not merged";
  std::cout << "100 incidents reached the robot in " << got.size() << " messages\n";
}

TEST_F(ChannelFlowTest, APaceCountsWhatWasSentBeforeARestart) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  const std::string pager = channel("pager", "webhook", "pace = \"1/1h\"\n");
  write_config("[\"email\", \"pager\"]", "[]", "[]", pager);
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();

  // A second site goes down after the restart: its e-mails go, the webhook
  // waits for the hour that began with the first message.
  write_config("[\"email\", \"pager\"]", "[]", "[]", pager, 2);
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] {
    return sql("SELECT count(*) FROM outbox WHERE channel = 'email' AND incident_id = 2 AND state = 'sent'") == "2\n";
  })) << daemon_.log();
  std::this_thread::sleep_for(1s);  // a drainer that forgot the first message would send now
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE channel = 'pager' ORDER BY id"), "sent\nqueued\n");
  EXPECT_EQ(receiver_->requests("webhook").size(), 1U);
}

TEST_F(ChannelFlowTest, AKillWhileTheReceiverHoldsItsReplyCausesAtMostOneDuplicate) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\"]", "[\"siem\"]", "[]", channel("siem", "webhook"));
  ASSERT_TRUE(receiver_->control("hold?count=1&seconds=20"));
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return receiver_->requests("webhook").size() == 1; }, 20s))
      << daemon_.log() << receiver_->output();
  daemon_.kill9();
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE channel = 'siem'"), "sending\n");
  daemon_.start();
  ASSERT_TRUE(outbox_settled("1")) << daemon_.log() << receiver_->output();
  EXPECT_EQ(sql("SELECT state FROM outbox WHERE channel = 'siem'"), "sent\n");
  const auto got = receiver_->requests("webhook");
  ASSERT_EQ(got.size(), 2U) << receiver_->output();
  EXPECT_EQ(got[0].at("body"), got[1].at("body"));
}

TEST_F(ChannelFlowTest, TestNotifyShowsWhatEachChannelAnswered) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  write_config("[\"email\", \"pager\"]", "[\"wecom\"]", "[]", channel("wecom", "wecom") + channel("pager", "webhook"),
               0);
  daemon_.start({"--allow-empty"});
  ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.ctl({"status"}).exit_code == 0; })) << daemon_.log();

  const Finished person = daemon_.ctl({"test-notify", "op"});
  EXPECT_EQ(person.exit_code, 0) << person.out << person.err;
  EXPECT_NE(person.out.find("test messages to op:"), std::string::npos) << person.out;
  EXPECT_NE(person.out.find("accepted by spool"), std::string::npos) << person.out;
  EXPECT_NE(person.out.find("HTTP 200"), std::string::npos) << person.out;
  const auto hooks = receiver_->requests("webhook");
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_TRUE(accepted(hooks[0])) << json::serialize(hooks[0]);
  EXPECT_EQ(hooks[0].at("body").at("event"), "test");
  EXPECT_EQ(hooks[0].at("body").at("incident"), 0);

  // A revoked robot: the far end's refusal is shown, and the exit code says so.
  ASSERT_TRUE(receiver_->control("errcode?count=1&code=93000"));
  const Finished unit = daemon_.ctl({"test-notify", "it", "--channel", "wecom"});
  EXPECT_EQ(unit.exit_code, 1) << unit.out << unit.err;
  EXPECT_NE(unit.err.find("code 93000"), std::string::npos) << unit.err;
  EXPECT_NE(unit.err.find("1 channel(s) failed"), std::string::npos) << unit.err;
  // Tests are not notifications: nothing in the outbox or the ledger's deliveries.
  EXPECT_EQ(sql("SELECT count(*) FROM outbox"), "0\n");
  EXPECT_EQ(daemon_.ctl({"test-notify", "op", "--channel", "wecom"}).exit_code, 1);
}

}  // namespace
}  // namespace netwarden::test
