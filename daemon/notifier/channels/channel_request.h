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
//
// The robots answer HTTP 200 with an error code in the body; judge_reply
// reads it, and tells a rate limit or a server fault (worth retrying) from
// a refusal (not).
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
  std::string token;   // the robot's key/access token/hook id; "" for webhook
  std::string secret;  // the signing secret; "" : not signed
};

Result<HttpRequest> channel_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                    const ChatMessage& message, Time now);

// Delivered: the far end's answer, e.g. "code 0 (ok)" or "HTTP 204".
// Otherwise why not, permanent unless the answer says to try again later
// (a 5xx, 408 or 429 status, or the provider's rate-limit or busy code).
std::expected<std::string, SendFailure> judge_reply(const ChannelConfig& channel, const HttpReply& reply);

}  // namespace netwarden
