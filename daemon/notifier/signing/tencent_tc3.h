// Tencent Cloud API signature v3 (TC3-HMAC-SHA256), as SMS SendSms uses it.
//
// Tencent's "签名方法 v3" / "Signature v3" page, the same text under every
// product, e.g. SMS's https://www.tencentcloud.com/document/product/382/40467
// and https://cloud.tencent.com/document/product/215/36792:
//   1. CanonicalRequest = "POST\n/\n\n" + CanonicalHeaders + "\n" +
//      SignedHeaders + "\n" + hex(SHA256(payload)), where each signed header
//      is "key:value\n" with key and value lowercased and trimmed, sorted by
//      key, and SignedHeaders is the keys joined by ';' (content-type and
//      host at least);
//   2. StringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + Date +
//      "/" + service + "/tc3_request\n" + hex(SHA256(CanonicalRequest)),
//      Date being the timestamp's UTC date (a local date breaks at midnight);
//   3. the key is derived: HMAC("TC3" + SecretKey, Date), then HMAC(that,
//      service), then HMAC(that, "tc3_request"); Signature =
//      hex(HMAC(derived key, StringToSign));
//   4. Authorization = "TC3-HMAC-SHA256 Credential=" + SecretId + "/" +
//      scope + ", SignedHeaders=" + SignedHeaders + ", Signature=" + Signature.
// Only POST with a JSON body is signed here (what SendSms takes), so the
// canonical URI is "/" and the canonical query string is empty.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

struct Tc3Request {
  std::string_view secret_id;
  std::string_view secret_key;
  std::string_view service;  // "sms": the host's first label and the scope's service
  // The headers to sign, as they will be sent (any case, any order).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view payload;  // the body, byte for byte as it will be sent
  Time time;                 // sent as X-TC-Timestamp; whole seconds are signed
};

// The intermediate strings are kept because a rejected signature
// (AuthFailure.SignatureFailure) is found by comparing them with what
// Tencent's API Explorer prints for the same request.
struct Tc3Signature {
  std::string timestamp;  // the X-TC-Timestamp value
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header's value
};

Result<Tc3Signature> tc3_sign(const Tc3Request& request);

}  // namespace netwarden
