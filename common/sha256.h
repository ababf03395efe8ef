// SHA-256 over byte strings (OpenSSL), returned as lowercase hex.
// Thread-safe: no shared state.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace netwarden {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string to_hex(const std::uint8_t* data, std::size_t size);

// Incremental hashing for data that arrives in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  Sha256Digest finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of users
};

}  // namespace netwarden
