// DingTalk custom robot signature (钉钉自定义机器人, security setting 加签).
//
// https://open.dingtalk.com/document/robots/customize-robot-security-settings
// ("加签"): the string to sign is timestamp + "\n" + secret, with timestamp in
// milliseconds since the Unix epoch; sign = urlEncode(Base64(HmacSHA256(key =
// secret, message = string to sign))), UTF-8 throughout. Both go into the
// webhook URL as the query parameters "timestamp" and "sign"; DingTalk refuses
// a timestamp more than an hour away from its own clock.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

struct DingTalkSignature {
  std::string timestamp;  // milliseconds since the Unix epoch, in decimal
  std::string sign;       // already percent-encoded for the query string

  // "timestamp=...&sign=...", to append to the webhook URL (which already
  // carries access_token) after a '&'.
  std::string query() const;
};

// `secret` is the "SEC..." string the robot's security settings show.
Result<DingTalkSignature> dingtalk_sign(std::string_view secret, Time now);

}  // namespace netwarden
