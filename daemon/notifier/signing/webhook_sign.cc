#include "daemon/notifier/signing/webhook_sign.h"

#include <chrono>

#include "daemon/notifier/signing/hmac.h"
#include "daemon/notifier/signing/text_encoding.h"

namespace netwarden {

Result<std::string> webhook_signature(std::string_view secret, std::string_view body, Time now) {
  if (secret.empty()) return fail("webhook: the signing secret is empty");
  const std::string timestamp =
      std::to_string(std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count());
  const std::string signed_bytes = timestamp + "." + std::string(body);
  return "t=" + timestamp + ",v1=" + hex_lower(hmac_sha256(secret, signed_bytes));
}

}  // namespace netwarden
