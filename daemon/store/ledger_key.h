// The ledger key: the secret that makes the ledger's chain a keyed one
// (daemon/store/ledger.h), so that a copy of the database alone cannot be
// rewritten consistently.
//
// The key file holds 32 random bytes written as 64 hexadecimal digits
// (upper or lower case), optionally followed by one newline: text, so that
// it can be created with `openssl rand -hex 32`, printed for a safe and
// compared by eye. It must be a regular file owned by root or by the user
// the daemon runs as, readable by its owner only (mode 0400 or 0600): a key
// others can read is no secret. Under systemd the unit hands it over with
// LoadCredential=ledger-key:/etc/netwarden/ledger.key and the daemon reads
// $CREDENTIALS_DIRECTORY/ledger-key.
//
// The key's id is the first 16 hex digits of SHA-256 over the 32 key bytes:
// recorded in the ledger (never the key), it tells which key a segment was
// written with. Pure apart from reading the file; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden {

struct LedgerKey {
  std::string secret;  // the 32 key bytes
  std::string id;      // 16 lowercase hex digits
};

// The key in `hex` (64 hex digits); an Error saying what is wrong with it.
Result<LedgerKey> ledger_key_from_hex(std::string_view hex);

// Where a key file comes from. systemd's credential copy has the
// permissions systemd gives it (possibly a read ACL for the service's user,
// which shows as group bits), in a directory only the service can read, so
// its owner and mode are not judged.
enum class LedgerKeySource { file, systemd_credential };

// Reads and checks the key file; the Error names the file and the problem
// (missing, not a regular file, readable by group or others, owned by
// another user, wrong size or not hex).
Result<LedgerKey> load_ledger_key(const std::string& path, LedgerKeySource source = LedgerKeySource::file);

// hex(HMAC-SHA256(key.secret, data)).
std::string ledger_hmac_hex(const LedgerKey& key, std::string_view data);

}  // namespace netwarden
