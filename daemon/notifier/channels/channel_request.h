// Each channel kind's request format and how its replies read: pure
// functions of the channel's settings, its secrets, the message and the time.
//
//   wecom     WeCom group robot, "markdown" message:
//             https://developer.work.weixin.qq.com/document/path/91770
//   dingtalk  DingTalk custom robot, "text" message, signed (加签) when a
//             secret is set: https://open.dingtalk.com/document/robots/custom-robot-access
//   feishu    Feishu custom bot, "text" message, signed (签名校验) when a
//             secret is set: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
//   webhook   the message's JSON (chat_message_json) as it is, with a
//             Netwarden-Signature header when a secret is set (webhook_sign.h)
//   aliyun_sms, tencent_sms: sms_request.h
//
// The providers answer with a code in the body, mostly with HTTP 200;
// judge_reply reads it, and tells a rate limit or a server fault (worth
// retrying) from a refusal (not).
#pragma once

#include <expected>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/channels/http_post.h"
#include "daemon/notifier/message/chat_message.h"

namespace netwarden {

// What the channel's files hold, read once when the daemon starts.
struct ChannelSecrets {
  std::string token;   // the robot's key/access token/hook id; "" for the others
  std::string secret;  // the signing secret or SMS key secret; "" : not signed
};

// `nonce`: a fresh random string for each request (Alibaba's SignatureNonce).
Result<HttpRequest> channel_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                    const ChatMessage& message, Time now, std::string_view nonce);

// Whether a channel takes several messages due at once as one: group robots
// do (they take 20 a minute); a webhook's program and an SMS template get
// each message as it is.
bool merges_messages(const ChannelConfig& channel);

// What a provider's reply body said.
struct ProviderAnswer {
  std::string code;  // "0", "OK", "isv.BUSINESS_LIMIT_CONTROL", ...
  std::string message;
  bool ok = false;     // delivered
  bool later = false;  // a rate limit or a busy service: worth retrying

  // "code 45009 (api freq out of limit)", printable and short.
  std::string words() const;
};

// Delivered: the far end's answer, e.g. "code 0 (ok)" or "HTTP 204".
// Otherwise why not, permanent unless the answer says to try again later
// (a 5xx, 408 or 429 status, or the provider's rate-limit or busy code).
std::expected<std::string, SendFailure> judge_reply(const ChannelConfig& channel, const HttpReply& reply);

}  // namespace netwarden
