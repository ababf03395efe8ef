#include "daemon/notifier/signing/dingtalk_sign.h"

#include "daemon/notifier/signing/hmac.h"
#include "daemon/notifier/signing/text_encoding.h"

namespace netwarden {

std::string DingTalkSignature::query() const { return "timestamp=" + timestamp + "&sign=" + sign; }

Result<DingTalkSignature> dingtalk_sign(std::string_view secret, Time now) {
  // An empty secret still yields a well-formed sign that DingTalk rejects
  // with a vague error; say what is wrong before anything is sent.
  if (secret.empty()) return fail("DingTalk robot: the signing secret is empty");
  std::string timestamp = std::to_string(to_unix_ms(now));
  const std::string string_to_sign = timestamp + "\n" + std::string(secret);
  return DingTalkSignature{std::move(timestamp), percent_encode(base64(hmac_sha256(secret, string_to_sign)))};
}

}  // namespace netwarden
