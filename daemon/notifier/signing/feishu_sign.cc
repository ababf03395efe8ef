#include "daemon/notifier/signing/feishu_sign.h"

#include <chrono>

#include "daemon/notifier/signing/hmac.h"
#include "daemon/notifier/signing/text_encoding.h"

namespace netwarden {

Result<FeishuSignature> feishu_sign(std::string_view secret, Time now) {
  if (secret.empty()) return fail("Feishu bot: the signing secret is empty");
  std::string timestamp = std::to_string(std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count());
  const std::string key = timestamp + "\n" + std::string(secret);
  return FeishuSignature{std::move(timestamp), base64(hmac_sha256(key, ""))};
}

}  // namespace netwarden
