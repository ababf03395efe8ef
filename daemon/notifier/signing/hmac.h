// HMAC over byte strings (OpenSSL), the one primitive every provider's
// request signature is built on. Digests are returned as raw bytes in a
// std::string so that one HMAC can key the next (Tencent's TC3 key chain)
// without copies between array types.
// Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>

namespace netwarden {

std::string hmac_sha256(std::string_view key, std::string_view message);
// Alibaba Cloud's RPC signature V1 still specifies SHA-1.
std::string hmac_sha1(std::string_view key, std::string_view message);

}  // namespace netwarden
