#include "daemon/notifier/channels/channel_request.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "daemon/notifier/channels/sms_request.h"
#include "daemon/notifier/signing/dingtalk_sign.h"
#include "daemon/notifier/signing/feishu_sign.h"
#include "daemon/notifier/signing/webhook_sign.h"

namespace netwarden {

namespace {

// The message limits the providers document: WeCom's markdown content
// 4096 bytes; DingTalk's and Feishu's request body 20 KB (text kept well
// below, for the JSON around it).
constexpr std::size_t kWecomContent = 4096;
constexpr std::size_t kRobotText = 16000;

// The robots' answers that say "not now, try later": a rate limit or a
// busy system (-1). WeCom 45009 "api freq out of limit" and -1 系统繁忙
// (https://developer.work.weixin.qq.com/document/path/90313); DingTalk
// 410100 发送速度太快而限流 (130101 and 660026 in older replies) and -1
// (https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages);
// Feishu 11232, and 9499 only as "too many request" (otherwise 9499 is
// "Bad Request"; https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot).
bool try_later(const std::string& kind, long long code, std::string_view message) {
  if (code == -1) return kind != "feishu";
  if (kind == "wecom") return code == 45009;
  if (kind == "dingtalk") return code == 410100 || code == 130101 || code == 660026;
  if (kind == "feishu")
    return code == 11232 || (code == 9499 && message.find("too many request") != std::string_view::npos);
  return false;
}

// `text` cut to at most `bytes` bytes on a UTF-8 character boundary.
std::string fit(std::string text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::string json(const boost::json::object& o) { return boost::json::serialize(o); }

Result<HttpRequest> wecom(const ChannelConfig& c, const ChannelSecrets& s, const ChatMessage& m) {
  boost::json::object body;
  body["msgtype"] = "markdown";
  body["markdown"] = {{"content", fit("**" + m.title + "**\n" + m.text, kWecomContent)}};
  return HttpRequest{c.url + "?key=" + s.token, {}, json(body)};
}

Result<HttpRequest> dingtalk(const ChannelConfig& c, const ChannelSecrets& s, const ChatMessage& m, Time now) {
  std::string url = c.url + "?access_token=" + s.token;
  if (!s.secret.empty()) {
    auto signature = dingtalk_sign(s.secret, now);
    if (!signature) return std::unexpected(signature.error());
    url += "&" + signature->query();
  }
  boost::json::object body;
  body["msgtype"] = "text";
  // DingTalk @s a mobile that the text names too ("在content里添加@人的手机号").
  std::string mentioned;
  for (const std::string& mobile : m.mentions) mentioned += (mentioned.empty() ? "\n@" : " @") + mobile;
  body["text"] = {{"content", fit(m.text, kRobotText - mentioned.size()) + mentioned}};
  if (!m.mentions.empty()) {
    body["at"] = {{"atMobiles", boost::json::array(m.mentions.begin(), m.mentions.end())}, {"isAtAll", false}};
  }
  return HttpRequest{std::move(url), {}, json(body)};
}

Result<HttpRequest> feishu(const ChannelConfig& c, const ChannelSecrets& s, const ChatMessage& m, Time now) {
  boost::json::object body;
  if (!s.secret.empty()) {
    auto signature = feishu_sign(s.secret, now);
    if (!signature) return std::unexpected(signature.error());
    body["timestamp"] = signature->timestamp;
    body["sign"] = signature->sign;
  }
  body["msg_type"] = "text";
  body["content"] = {{"text", fit(m.text, kRobotText)}};
  return HttpRequest{c.url + s.token, {}, json(body)};
}

Result<HttpRequest> webhook(const ChannelConfig& c, const ChannelSecrets& s, const ChatMessage& m, Time now) {
  HttpRequest request{c.url, {}, chat_message_json(m)};
  if (!s.secret.empty()) {
    auto signature = webhook_signature(s.secret, request.body, now);
    if (!signature) return std::unexpected(signature.error());
    request.headers.push_back("Netwarden-Signature: " + *signature);
  }
  return request;
}

bool worth_retrying(long status) { return status >= 500 || status == 408 || status == 429; }

// The robots' {"errcode": N, "errmsg": "..."} (WeCom, DingTalk) or
// {"code": N, "msg": "..."} (Feishu); none when the body is neither.
std::optional<ProviderAnswer> robot_answer(const std::string& kind, const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  // Feishu's older replies carried only StatusCode/StatusMessage.
  for (const auto& [code_key, message_key] :
       {std::pair{"errcode", "errmsg"}, std::pair{"code", "msg"}, std::pair{"StatusCode", "StatusMessage"}}) {
    const auto* code = o.if_contains(code_key);
    if (code == nullptr || !code->is_int64()) continue;
    ProviderAnswer answer{std::to_string(code->get_int64()), "", code->get_int64() == 0, false};
    if (const auto* m = o.if_contains(message_key); m != nullptr && m->is_string()) answer.message = m->get_string();
    answer.later = try_later(kind, code->get_int64(), answer.message);
    return answer;
  }
  return std::nullopt;
}

std::optional<ProviderAnswer> provider_answer(const ChannelConfig& channel, const std::string& body) {
  if (is_group_robot(channel.kind)) return robot_answer(channel.kind, body);
  if (is_sms(channel.kind)) return sms_answer(channel.kind, body);
  return std::nullopt;  // a webhook's status says it all
}

// A short, printable excerpt of a reply body for a message.
std::string excerpt(const std::string& body) {
  std::string out = fit(body, 200);
  std::ranges::replace_if(
      out, [](char c) { return static_cast<unsigned char>(c) < ' '; }, ' ');
  return out;
}

}  // namespace

Result<HttpRequest> channel_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                    const ChatMessage& message, Time now, std::string_view nonce) {
  if (channel.kind == "wecom") return wecom(channel, secrets, message);
  if (channel.kind == "dingtalk") return dingtalk(channel, secrets, message, now);
  if (channel.kind == "feishu") return feishu(channel, secrets, message, now);
  if (channel.kind == "webhook") return webhook(channel, secrets, message, now);
  if (channel.kind == "aliyun_sms") return aliyun_sms_request(channel, secrets, message, now, nonce);
  if (channel.kind == "tencent_sms") return tencent_sms_request(channel, secrets, message, now);
  return fail("channel '" + channel.id + "': unknown kind '" + channel.kind + "'");
}

bool merges_messages(const ChannelConfig& channel) { return is_group_robot(channel.kind); }

std::string ProviderAnswer::words() const { return "code " + code + " (" + excerpt(message) + ")"; }

std::expected<std::string, SendFailure> judge_reply(const ChannelConfig& channel, const HttpReply& reply) {
  const std::string who = "channel '" + channel.id + "' (" + channel.kind + ")";
  const std::string status = "HTTP " + std::to_string(reply.status);
  const std::optional<ProviderAnswer> answer = provider_answer(channel, reply.body);
  // Feishu and Alibaba's gateway say "too many requests" with HTTP 400: the answer decides.
  if (answer && answer->later) return std::unexpected(SendFailure{who + ": " + answer->words(), false});
  if (reply.status < 200 || reply.status > 299) {
    const std::string said = answer ? answer->words() : excerpt(reply.body);
    return std::unexpected(SendFailure{who + ": " + status + " " + said, !worth_retrying(reply.status)});
  }
  if (channel.kind == "webhook") return status;
  if (!answer) return std::unexpected(SendFailure{who + ": " + status + " without the provider's answer", false});
  if (answer->ok) return answer->words();
  return std::unexpected(SendFailure{who + ": " + answer->words(), true});
}

}  // namespace netwarden
