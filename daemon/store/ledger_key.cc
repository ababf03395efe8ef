#include "daemon/store/ledger_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <fstream>

#include "common/os_error.h"
#include "common/sha256.h"

namespace netwarden {

namespace {

constexpr std::size_t kKeyBytes = 32;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

}  // namespace

Result<LedgerKey> ledger_key_from_hex(std::string_view hex) {
  if (hex.ends_with('\n')) hex.remove_suffix(1);
  if (hex.size() != 2 * kKeyBytes) {
    return fail("must hold 64 hex digits (32 bytes), not " + std::to_string(hex.size()) + " characters");
  }
  LedgerKey key;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]);
    const int low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0)
      return fail("character " + std::to_string(high < 0 ? i + 1 : i + 2) + " is not a hex digit");
    key.secret.push_back(static_cast<char>(high * 16 + low));
  }
  key.id = sha256_hex(key.secret).substr(0, 16);
  return key;
}

Result<LedgerKey> load_ledger_key(const std::string& path, LedgerKeySource source) {
  const std::string where = "ledger key " + path + ": ";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(where + errno_text());
  if (!S_ISREG(st.st_mode)) return fail(where + "not a regular file");
  const bool judge = source == LedgerKeySource::file;
  if (judge && (st.st_mode & 0077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(where + "readable or writable by group or others (mode " + mode + "); chmod 0600 it");
  }
  if (judge && st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return fail(where + "owned by uid " + std::to_string(st.st_uid) + ", not root");
  }
  // A key file is 64 or 65 bytes; reading a little more shows a wrong one.
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(where + errno_text());
  std::string text(128, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  auto key = ledger_key_from_hex(text);
  if (!key) return fail(where + key.error().message);
  return key;
}

std::string ledger_hmac_hex(const LedgerKey& key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.secret.data(), static_cast<int>(key.secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return to_hex(out, size);
}

}  // namespace netwarden
