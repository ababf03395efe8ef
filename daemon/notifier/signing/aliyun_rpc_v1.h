// Alibaba Cloud RPC signature V1 (HMAC-SHA1), as Dysmsapi SendSms uses it.
//
// https://help.aliyun.com/en/document_detail/130769.html ("Signature
// mechanism", the same text under every RPC product):
//   1. CanonicalizedQueryString: every request parameter but Signature,
//      sorted by name, name and value each percent-encoded (RFC 3986:
//      text_encoding.h's percent_encode), joined as name=value with '&';
//   2. StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" +
//      percentEncode(CanonicalizedQueryString);
//   3. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
// The caller supplies every parameter, the common ones included (Timestamp
// as ISO 8601 UTC, SignatureNonce, AccessKeyId, SignatureMethod "HMAC-SHA1",
// SignatureVersion "1.0", Format, Version, Action): the time and the nonce
// are arguments like any other.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden {

// std::map: sorted by name as step 1 needs, one value per name as RPC APIs
// take them.
using AliyunParams = std::map<std::string, std::string>;

struct AliyunSignature {
  std::string string_to_sign;  // kept to compare with the server's when a signature is refused
  std::string signature;       // Base64
  // The canonicalized query string with "&Signature=" and the encoded
  // signature appended: the query (GET) or form body (POST) to send.
  std::string signed_query;
};

// `http_method` is "GET" or "POST", as the request will be sent.
Result<AliyunSignature> aliyun_rpc_sign(std::string_view access_key_secret, std::string_view http_method,
                                        const AliyunParams& params);

}  // namespace netwarden
