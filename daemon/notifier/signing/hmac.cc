#include "daemon/notifier/signing/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <new>

namespace netwarden {

namespace {

std::string hmac(const EVP_MD* digest, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // HMAC() fails only when OpenSSL cannot allocate its context, as
  // common/sha256.cc treats the same failure of its digest context.
  if (HMAC(digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), out, &size) == nullptr) {
    throw std::bad_alloc();
  }
  return {reinterpret_cast<const char*>(out), size};
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) { return hmac(EVP_sha256(), key, message); }

std::string hmac_sha1(std::string_view key, std::string_view message) { return hmac(EVP_sha1(), key, message); }

}  // namespace netwarden
