// The encodings the providers' signatures are written in: Base64 (DingTalk,
// Feishu, Alibaba), lowercase hex (Tencent, netwarden's webhooks) and
// RFC 3986 percent-encoding (Alibaba's canonical query, DingTalk's sign
// parameter).
#pragma once

#include <string>
#include <string_view>

namespace netwarden {

// Standard alphabet with '=' padding, no line breaks.
std::string base64(std::string_view bytes);
std::string hex_lower(std::string_view bytes);
// Every byte except the unreserved A-Z a-z 0-9 - _ . ~ becomes %XY with
// uppercase hex: a space is %20 (not '+'), '*' is %2A and '~' stays '~'.
// That is Alibaba Cloud's percentEncode (its doc derives it from Java's
// URLEncoder by replacing + with %20, * with %2A and %7E with ~), and it
// encodes a Base64 string's '+', '/' and '=' as URLEncoder does.
std::string percent_encode(std::string_view text);

}  // namespace netwarden
