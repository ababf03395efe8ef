#include "daemon/notifier/signing/aliyun_rpc_v1.h"

#include "daemon/notifier/signing/hmac.h"
#include "daemon/notifier/signing/text_encoding.h"

namespace netwarden {

Result<AliyunSignature> aliyun_rpc_sign(std::string_view access_key_secret, std::string_view http_method,
                                        const AliyunParams& params) {
  if (access_key_secret.empty()) return fail("Alibaba Cloud: the AccessKey secret is empty");
  if (http_method != "GET" && http_method != "POST") {
    return fail("Alibaba Cloud: cannot sign an HTTP " + std::string(http_method) + " request");
  }
  // Signature is what is being computed; signing an old one would make a
  // request no server can verify.
  if (params.contains("Signature")) return fail("Alibaba Cloud: the parameters already hold a Signature");

  std::string canonicalized;
  for (const auto& [name, value] : params) {
    if (!canonicalized.empty()) canonicalized += '&';
    canonicalized += percent_encode(name) + "=" + percent_encode(value);
  }
  AliyunSignature out;
  out.string_to_sign = std::string(http_method) + "&" + percent_encode("/") + "&" + percent_encode(canonicalized);
  out.signature = base64(hmac_sha1(std::string(access_key_secret) + "&", out.string_to_sign));
  out.signed_query = canonicalized + "&Signature=" + percent_encode(out.signature);
  return out;
}

}  // namespace netwarden
