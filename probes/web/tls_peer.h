// The OpenSSL side of one TLS connection: what to ask the server for and what
// to learn from its certificate. Private to probes/web.
//
// The handshake itself always runs with SSL_VERIFY_NONE; OpenSSL still checks
// the chain and the expected name and keeps the verdict, which read_tls_peer
// reports. That way an expired or mismatched certificate still yields its
// expiry and fingerprint, and the fetcher (not the handshake) decides whether
// to go on.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "common/result.h"
#include "probes/web/fetch_result.h"

namespace netwarden {

// SNI (names only, never for literal addresses) and the name or address the
// certificate must be valid for.
Result<void> prepare_tls_peer(SSL* ssl, const std::string& host, bool host_is_ip);

// After a completed handshake: used, verified (chain and name), verify_error,
// cert_not_after and cert_sha256 of the leaf certificate.
void read_tls_peer(SSL* ssl, TlsInfo& info);

}  // namespace netwarden
