// Feishu (Lark) custom bot signature (飞书自定义机器人, security setting 签名校验).
//
// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
// ("签名校验"): the string timestamp + "\n" + secret, with timestamp in
// seconds since the Unix epoch, is the HMAC-SHA256 *key*, and the message is
// empty; sign = Base64(that HMAC). Unlike DingTalk, both go into the JSON
// body as the fields "timestamp" and "sign", and Feishu refuses a timestamp
// more than an hour away from its own clock.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

struct FeishuSignature {
  std::string timestamp;  // whole seconds since the Unix epoch, in decimal
  std::string sign;       // Base64, not percent-encoded: it travels in JSON
};

Result<FeishuSignature> feishu_sign(std::string_view secret, Time now);

}  // namespace netwarden
