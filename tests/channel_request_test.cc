// The chat message (compose_chat, its JSON) and each channel kind's request
// and reply reading (daemon/notifier/channels/channel_request.h). The
// requests' acceptance by a receiver that checks them as each provider
// documents is tested end to end in channel_flow_test.
#include "daemon/notifier/channels/channel_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "daemon/notifier/channels/sms_request.h"
#include "daemon/notifier/message/chat_message.h"
#include "daemon/notifier/signing/aliyun_rpc_v1.h"
#include "daemon/notifier/signing/tencent_tc3.h"
#include "daemon/notifier/signing/webhook_sign.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

const Time kNow = from_unix_ms(1795593900000);

MailContext outage() {
  MailContext c;
  c.incident = 12;
  c.kind = IncidentKind::site_down;
  c.severity = Severity::major;
  c.target_id = "portal";
  c.target_name = "门户网站";
  c.host = "www.example.edu.cn";
  c.unit_id = "cs";
  c.unit_name = "计算机学院";
  c.started_at = kNow - 40min;
  c.detected_at = c.started_at;
  c.now = kNow;
  c.elapsed = 40min;
  c.threshold = 3h;
  c.reasons = {{NotifyReason::What::step, 2, {}}};
  c.ack_command = "netwardenctl ack 12";
  return c;
}

ChatMessage composed(std::string_view language) {
  auto templates = load_mail_templates("");
  EXPECT_TRUE(templates) << templates.error().message;
  return compose_chat(outage(), *templates, language);
}

ChannelConfig channel(std::string kind, std::string url) {
  ChannelConfig c;
  c.id = "robot";
  c.kind = std::move(kind);
  c.url = std::move(url);
  return c;
}

boost::json::object body_of(const HttpRequest& request) { return boost::json::parse(request.body).as_object(); }

std::string text(const boost::json::value& v) { return std::string(v.as_string()); }

TEST(ChatMessage, SaysWhatTheMailSubjectSaysAndHowToAcknowledge) {
  const ChatMessage m = composed("zh+en");
  EXPECT_EQ(m.incident, 12);
  EXPECT_EQ(m.kind, "site_down");
  EXPECT_EQ(m.severity, "major");
  EXPECT_EQ(m.unit, "cs");
  EXPECT_EQ(m.reasons, "step 2");
  EXPECT_EQ(m.elapsed_s, 2400);
  EXPECT_EQ(m.threshold_s, 10800);
  EXPECT_NE(m.title.find("门户网站"), std::string::npos) << m.title;
  EXPECT_NE(m.title.find("阈值3小时"), std::string::npos) << m.title;
  // Chinese first, then English, each with why and what to do.
  const std::size_t zh = m.text.find("通知原因：第2级通知");
  const std::size_t en = m.text.find("Why: step 2");
  ASSERT_NE(zh, std::string::npos) << m.text;
  ASSERT_NE(en, std::string::npos) << m.text;
  EXPECT_LT(zh, en);
  EXPECT_NE(m.text.find("处置后请确认：netwardenctl ack 12"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("Acknowledge when handled: netwardenctl ack 12"), std::string::npos) << m.text;
  EXPECT_EQ(composed("en").text.find("通知原因"), std::string::npos);
}

TEST(ChatMessage, SurvivesItsJson) {
  const ChatMessage m = composed("zh+en");
  auto back = chat_message_from_json(chat_message_json(m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
  EXPECT_FALSE(chat_message_from_json("[1]"));
  EXPECT_FALSE(chat_message_from_json(R"({"incident": 1})"));  // no title
}

TEST(ChannelRequest, WecomPutsTheKeyInTheUrlAndSendsMarkdown) {
  const ChatMessage m = composed("zh");
  auto r =
      channel_request(channel("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"), {"KEY1", ""}, m, kNow, "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY1");
  const auto body = body_of(*r);
  EXPECT_EQ(body.at("msgtype"), "markdown");
  EXPECT_EQ(text(body.at("markdown").at("content")), "**" + m.title + "**\n" + m.text);
}

TEST(ChannelRequest, WecomContentIsCutToItsLimitOnACharacterBoundary) {
  ChatMessage m = composed("zh");
  m.text = std::string(5000, 'a') + "这";
  for (int i = 0; i < 3000; ++i) m.text += "这";
  auto r = channel_request(channel("wecom", "https://x/"), {"K", ""}, m, kNow, "");
  ASSERT_TRUE(r);
  const std::string content(body_of(*r).at("markdown").at("content").as_string());
  EXPECT_LE(content.size(), 4096U);
  EXPECT_GT(content.size(), 4090U);
}

TEST(ChannelRequest, DingtalkSignsInTheQueryWhenItHasASecret) {
  const ChatMessage m = composed("zh+en");
  auto plain = channel_request(channel("dingtalk", "https://oapi.dingtalk.com/robot/send"), {"T1", ""}, m, kNow, "");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->url, "https://oapi.dingtalk.com/robot/send?access_token=T1");
  auto signed_ =
      channel_request(channel("dingtalk", "https://oapi.dingtalk.com/robot/send"), {"T1", "SECx"}, m, kNow, "");
  ASSERT_TRUE(signed_);
  EXPECT_TRUE(
      signed_->url.starts_with("https://oapi.dingtalk.com/robot/send?access_token=T1&timestamp=1795593900000&sign="))
      << signed_->url;
  const auto body = body_of(*signed_);
  EXPECT_EQ(body.at("msgtype"), "text");
  EXPECT_EQ(text(body.at("text").at("content")), m.text);
}

TEST(ChannelRequest, FeishuSignsInTheBody) {
  const ChatMessage m = composed("zh+en");
  auto r =
      channel_request(channel("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/"), {"H1", "s"}, m, kNow, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->url, "https://open.feishu.cn/open-apis/bot/v2/hook/H1");
  const auto body = body_of(*r);
  EXPECT_EQ(body.at("timestamp"), "1795593900");
  EXPECT_FALSE(body.at("sign").as_string().empty());
  EXPECT_EQ(body.at("msg_type"), "text");
  EXPECT_EQ(text(body.at("content").at("text")), m.text);
  auto unsigned_ = channel_request(channel("feishu", "https://f/"), {"H1", ""}, m, kNow, "");
  ASSERT_TRUE(unsigned_);
  EXPECT_FALSE(body_of(*unsigned_).contains("sign"));
}

TEST(ChannelRequest, DingTalkMentionsThePeopleToldInTheTextAndInAt) {
  ChatMessage m = composed("zh");
  m.mentions = {"13812345678", "13900000001"};
  auto r = channel_request(channel("dingtalk", "https://oapi.dingtalk.com/robot/send"), {"T1", ""}, m, kNow, "");
  ASSERT_TRUE(r);
  const auto body = body_of(*r);
  EXPECT_EQ(body.at("at"), boost::json::parse(R"({"atMobiles":["13812345678","13900000001"],"isAtAll":false})"));
  EXPECT_TRUE(text(body.at("text").at("content")).ends_with("\n@13812345678 @13900000001"));
  // Without mentions there is no "at" at all.
  auto plain = channel_request(channel("dingtalk", "https://x/"), {"T1", ""}, composed("zh"), kNow, "");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(body_of(*plain).contains("at"));
}

TEST(ChatMessage, AMergedMessageMentionsEveryonesPeopleOnce) {
  ChatMessage a = composed("zh"), b = composed("zh");
  a.mentions = {"13800000001", "13800000002"};
  b.mentions = {"13800000002", "13800000003"};
  const ChatMessage merged = merged_chat({a, b});
  EXPECT_EQ(merged.mentions, (std::vector<std::string>{"13800000001", "13800000002", "13800000003"}));
  EXPECT_EQ(chat_message_from_json(chat_message_json(merged)).value(), merged);
}

TEST(ChannelRequest, WebhookSendsTheMessageJsonWithItsSignature) {
  const ChatMessage m = composed("zh+en");
  auto r = channel_request(channel("webhook", "https://hooks.example.edu.cn/netwarden"), {"", "k"}, m, kNow, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->url, "https://hooks.example.edu.cn/netwarden");
  EXPECT_EQ(r->body, chat_message_json(m));
  ASSERT_EQ(r->headers.size(), 1U);
  EXPECT_EQ(r->headers[0], "Netwarden-Signature: " + webhook_signature("k", r->body, kNow).value());
}

TEST(JudgeReply, ReadsTheProvidersCodes) {
  const ChannelConfig wecom = channel("wecom", "https://x/");
  auto ok = judge_reply(wecom, {200, R"({"errcode":0,"errmsg":"ok"})"});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "code 0 (ok)");
  auto feishu_ok = judge_reply(channel("feishu", "https://x/"), {200, R"({"code":0,"msg":"success","data":{}})"});
  ASSERT_TRUE(feishu_ok);
  EXPECT_EQ(*feishu_ok, "code 0 (success)");

  auto refused = judge_reply(wecom, {200, R"({"errcode":93000,"errmsg":"invalid webhook url"})"});
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().permanent);
  EXPECT_EQ(refused.error().message, "channel 'robot' (wecom): code 93000 (invalid webhook url)");

  for (const auto& [kind, reply] : {std::pair{"dingtalk", R"({"errcode":410100,"errmsg":"发送速度太快而限流"})"},
                                    {"dingtalk", R"({"errcode":130101,"errmsg":"send too fast"})"},
                                    {"wecom", R"({"errcode":-1,"errmsg":"busy"})"},
                                    {"wecom", R"({"errcode":45009,"errmsg":"api freq out of limit"})"},
                                    {"feishu", R"({"code":11232,"msg":"x"})"}}) {
    auto later = judge_reply(channel(kind, "https://x/"), {200, reply});
    ASSERT_FALSE(later) << reply;
    EXPECT_FALSE(later.error().permanent) << reply;
  }
  // Feishu's 9499 is a rate limit only when it says so (with HTTP 400); else a bad request.
  auto feishu = channel("feishu", "https://x/");
  auto limited = judge_reply(feishu, {400, R"({"code":9499,"msg":"too many request"})"});
  ASSERT_FALSE(limited);
  EXPECT_FALSE(limited.error().permanent);
  auto bad = judge_reply(feishu, {400, R"({"code":9499,"msg":"Bad Request"})"});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().permanent);
  EXPECT_EQ(bad.error().message, "channel 'robot' (feishu): HTTP 400 code 9499 (Bad Request)");
  auto signature = judge_reply(feishu, {200, R"({"code":19021,"msg":"sign match fail"})"});
  ASSERT_FALSE(signature);
  EXPECT_TRUE(signature.error().permanent);
  // Feishu's older success reply.
  EXPECT_TRUE(judge_reply(feishu, {200, R"({"StatusCode":0,"StatusMessage":"success"})"}));
}

TEST(JudgeReply, RetriesServerFaultsAndRateLimitsNotRefusals) {
  const ChannelConfig hook = channel("webhook", "https://x/");
  EXPECT_EQ(judge_reply(hook, {204, ""}).value(), "HTTP 204");
  for (long status : {500L, 502L, 503L, 408L, 429L}) {
    auto r = judge_reply(hook, {status, "busy"});
    ASSERT_FALSE(r);
    EXPECT_FALSE(r.error().permanent) << status;
  }
  for (long status : {400L, 401L, 404L, 413L}) {
    auto r = judge_reply(hook, {status, "no\nway"});
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().permanent) << status;
    EXPECT_EQ(r.error().message, "channel 'robot' (webhook): HTTP " + std::to_string(status) + " no way");
  }
  // A robot's 200 without its answer (a captive portal, a wrong URL): tried again.
  auto r = judge_reply(channel("wecom", "https://x/"), {200, "<html>"});
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().permanent);
}

// --- SMS ---------------------------------------------------------------------------------------

ChannelConfig aliyun() {
  ChannelConfig c = channel("aliyun_sms", "https://dysmsapi.aliyuncs.com/");
  c.key_id = "LTAI5tExampleId";
  c.sign_name = "示例大学";
  c.template_id = "SMS_123456789";
  c.params = {{"code", "incident"}, {"site", "site"}, {"kind", "kind"}, {"elapsed", "elapsed"}};
  c.param_max = 35;
  return c;
}

ChannelConfig tencent() {
  ChannelConfig c = channel("tencent_sms", "https://127.0.0.1:8443/");
  c.key_id = "AKIDexample";
  c.app_id = "1400000001";
  c.region = "ap-guangzhou";
  c.sign_name = "示例大学";
  c.template_id = "449739";
  c.params = {{"", "incident"}, {"", "kind"}, {"", "reason"}};
  c.param_max = 12;
  return c;
}

ChatMessage to_mobile(std::string_view language) {
  ChatMessage m = composed(language);
  m.mobile = "13812345678";
  return m;
}

// An application/x-www-form-urlencoded body's fields, decoded.
std::map<std::string, std::string> form_fields(const std::string& body) {
  auto decode = [](std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = std::min(body.find('&', start), body.size());
    std::string_view pair(body.data() + start, end - start);
    std::size_t eq = pair.find('=');
    fields[decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return fields;
}

TEST(SmsParams, TheMessagesWordsCutToTheLimitNeverEmpty) {
  ChatMessage m = to_mobile("en");
  EXPECT_EQ(m.words.at("kind"), "无法访问");
  EXPECT_EQ(m.words.at("severity"), "重大");
  EXPECT_EQ(m.words.at("elapsed"), "40分");
  EXPECT_EQ(m.words.at("threshold"), "3小时");
  EXPECT_EQ(m.words.at("unit"), "计算机学院");
  EXPECT_EQ(m.words.at("reason"), "第2级通知");
  EXPECT_EQ(sms_param_values(aliyun(), m), (std::vector<std::string>{"12", "门户网站", "无法访问", "40分"}));
  ChannelConfig c = tencent();
  c.params = {{"", "unit"}, {"", "site"}};
  c.param_max = 3;
  m.words["site"] = "";
  EXPECT_EQ(sms_param_values(c, m), (std::vector<std::string>{"计算机", "无"}));
  // Both languages of a person's setting give the same Chinese words.
  EXPECT_EQ(to_mobile("zh+en").words, to_mobile("en").words);
}

TEST(ChannelRequest, AliyunSmsIsASignedFormWithTheTemplatesVariables) {
  const ChatMessage m = to_mobile("zh+en");
  auto r = channel_request(aliyun(), {"", "testsecret"}, m, kNow, "nonce-1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->url, "https://dysmsapi.aliyuncs.com/");
  EXPECT_EQ(r->content_type, "application/x-www-form-urlencoded; charset=utf-8");
  auto fields = form_fields(r->body);
  EXPECT_EQ(fields["Action"], "SendSms");
  EXPECT_EQ(fields["Version"], "2017-05-25");
  EXPECT_EQ(fields["Format"], "JSON");
  EXPECT_EQ(fields["AccessKeyId"], "LTAI5tExampleId");
  EXPECT_EQ(fields["SignatureNonce"], "nonce-1");
  EXPECT_EQ(fields["Timestamp"], "2026-11-25T08:05:00Z");
  EXPECT_EQ(fields["PhoneNumbers"], "13812345678");
  EXPECT_EQ(fields["SignName"], "示例大学");
  EXPECT_EQ(fields["TemplateCode"], "SMS_123456789");
  EXPECT_EQ(boost::json::parse(fields["TemplateParam"]),
            boost::json::parse(R"({"code":"12","site":"门户网站","kind":"无法访问","elapsed":"40分"})"));
  // Signed as the signature page says: every field but Signature.
  const std::string signature = fields["Signature"];
  fields.erase("Signature");
  AliyunParams params(fields.begin(), fields.end());
  EXPECT_EQ(signature, aliyun_rpc_sign("testsecret", "POST", params).value().signature);
  // Each attempt its own nonce, which the signature covers.
  auto again = channel_request(aliyun(), {"", "testsecret"}, m, kNow, "nonce-2");
  ASSERT_TRUE(again);
  EXPECT_NE(form_fields(again->body)["Signature"], signature);
}

TEST(ChannelRequest, TencentSmsIsSignedJsonWithTheParametersInOrder) {
  const ChatMessage m = to_mobile("zh");
  auto r = channel_request(tencent(), {"", "testkey"}, m, kNow, "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->url, "https://127.0.0.1:8443/");
  EXPECT_EQ(r->content_type, "application/json; charset=utf-8");
  const auto body = body_of(*r);
  EXPECT_EQ(body.at("PhoneNumberSet"), boost::json::parse(R"(["+8613812345678"])"));
  EXPECT_EQ(text(body.at("SmsSdkAppId")), "1400000001");
  EXPECT_EQ(text(body.at("SignName")), "示例大学");
  EXPECT_EQ(text(body.at("TemplateId")), "449739");
  EXPECT_EQ(body.at("TemplateParamSet"), boost::json::parse(R"(["12", "无法访问", "第2级通知"])"));
  const auto headers = r->headers;
  auto header = [&](std::string_view name) {
    for (const std::string& h : headers)
      if (h.starts_with(std::string(name) + ": ")) return h.substr(name.size() + 2);
    return std::string();
  };
  // The Host signed is the one sent, port and all.
  EXPECT_EQ(header("Host"), "127.0.0.1:8443");
  EXPECT_EQ(header("X-TC-Action"), "SendSms");
  EXPECT_EQ(header("X-TC-Version"), "2021-01-11");
  EXPECT_EQ(header("X-TC-Region"), "ap-guangzhou");
  EXPECT_EQ(header("X-TC-Timestamp"), "1795593900");
  auto expected = tc3_sign({"AKIDexample",
                            "testkey",
                            "sms",
                            {{"content-type", "application/json; charset=utf-8"}, {"host", "127.0.0.1:8443"}},
                            r->body,
                            kNow});
  ASSERT_TRUE(expected);
  EXPECT_EQ(header("Authorization"), expected->authorization);
  EXPECT_TRUE(header("Authorization").find("/sms/tc3_request") != std::string::npos);
}

TEST(ChannelRequest, SmsWithoutAMobileIsRefused) {
  for (const ChannelConfig& c : {aliyun(), tencent()}) {
    auto r = channel_request(c, {"", "k"}, composed("zh"), kNow, "n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "channel 'robot': no mobile number to send to");
  }
}

TEST(JudgeReply, ReadsTheSmsServicesCodes) {
  const ChannelConfig ali = aliyun();
  auto ok = judge_reply(ali, {200, R"({"Message":"OK","RequestId":"r","Code":"OK","BizId":"9006197469364984400"})"});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "code OK (OK)");
  // SendSms's frequency control comes with HTTP 200, the gateway's with 400: both wait.
  for (const auto& [status, reply] :
       {std::pair{200L, R"({"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"})"},
        {400L, R"({"Code":"Throttling.User","Message":"Request was denied due to user flow control."})"},
        {503L, R"({"Code":"ServiceUnavailable","Message":"busy"})"}}) {
    auto later = judge_reply(ali, {status, reply});
    ASSERT_FALSE(later) << reply;
    EXPECT_FALSE(later.error().permanent) << reply;
  }
  auto sign = judge_reply(ali, {200, R"({"Code":"isv.SMS_SIGNATURE_ILLEGAL","Message":"该账号下找不到对应签名"})"});
  ASSERT_FALSE(sign);
  EXPECT_TRUE(sign.error().permanent);
  EXPECT_EQ(sign.error().message,
            "channel 'robot' (aliyun_sms): code isv.SMS_SIGNATURE_ILLEGAL (该账号下找不到对应签名)");
  auto key =
      judge_reply(ali, {400, R"({"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"})"});
  ASSERT_FALSE(key);
  EXPECT_TRUE(key.error().permanent);

  const ChannelConfig tc = tencent();
  auto sent =
      judge_reply(tc, {200, R"({"Response":{"SendStatusSet":[{"SerialNo":"2645:1","PhoneNumber":"+8613812345678",
      "Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r"}})"});
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(*sent, "code Ok (send success)");
  auto auth = judge_reply(
      tc, {200, R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"x"},"RequestId":"r"}})"});
  ASSERT_FALSE(auth);
  EXPECT_TRUE(auth.error().permanent);
  EXPECT_EQ(auth.error().message, "channel 'robot' (tencent_sms): code AuthFailure.SignatureFailure (x)");
  // A number's own refusal, in its status.
  auto number = judge_reply(tc, {200, R"({"Response":{"SendStatusSet":[{"Code":"FailedOperation.PhoneNumberInBlacklist",
      "Message":"phone number in blacklist"}],"RequestId":"r"}})"});
  ASSERT_FALSE(number);
  EXPECT_TRUE(number.error().permanent);
  for (const char* code :
       {"RequestLimitExceeded", "InternalError.Timeout", "LimitExceeded.PhoneNumberThirtySecondLimit"}) {
    auto later =
        judge_reply(tc, {200, R"({"Response":{"Error":{"Code":")" + std::string(code) + R"(","Message":"m"}}})"});
    ASSERT_FALSE(later) << code;
    EXPECT_FALSE(later.error().permanent) << code;
  }
  EXPECT_FALSE(judge_reply(tc, {200, "<html>"}).has_value());
}

}  // namespace
}  // namespace netwarden
