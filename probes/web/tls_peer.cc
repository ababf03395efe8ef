#include "probes/web/tls_peer.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "common/sha256.h"

namespace netwarden {

namespace {

std::string openssl_error(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return what;
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

std::optional<Time> not_after(const X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return std::nullopt;
  return std::chrono::time_point_cast<Duration>(Clock::from_time_t(timegm(&tm)));
}

std::string der_sha256(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  std::string hex = sha256_hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)));
  OPENSSL_free(der);
  return hex;
}

}  // namespace

Result<void> prepare_tls_peer(SSL* ssl, const std::string& host, bool host_is_ip) {
  if (host_is_ip) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return fail(openssl_error("cannot set expected certificate address"));
    }
    return {};
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return fail(openssl_error("cannot set SNI"));
  if (SSL_set1_host(ssl, host.c_str()) != 1) return fail(openssl_error("cannot set expected certificate name"));
  return {};
}

void read_tls_peer(SSL* ssl, TlsInfo& info) {
  info.used = true;
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), &X509_free);
  if (!cert) {
    info.verified = false;
    info.verify_error = "server sent no certificate";
    return;
  }
  info.cert_not_after = not_after(cert.get());
  info.cert_sha256 = der_sha256(cert.get());
  long result = SSL_get_verify_result(ssl);
  info.verified = result == X509_V_OK;
  if (!info.verified) info.verify_error = X509_verify_cert_error_string(result);
}

}  // namespace netwarden
