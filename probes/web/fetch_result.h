// What one HTTP(S) fetch of a target found: the raw facts, before any
// judgement about whether the site is healthy (that is the check's job,
// daemon/core). Plain data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"

namespace netwarden {

enum class FetchFailure {
  none,
  bad_url,             // the URL (or a redirect's Location) does not parse / unsupported scheme
  dns,                 // name did not resolve
  connect,             // no address accepted the connection
  tls,                 // handshake failed, or the certificate did not verify
  timeout,             // the overall deadline passed
  protocol,            // malformed HTTP, connection closed mid-response
  body_too_large,      // more than max_body bytes
  redirect_loop,       // a Location led back to a URL already visited
  too_many_redirects,  // more than max_redirects hops
};

// Stable lowercase names ("dns", "body_too_large", ...) used in JSON and the store.
std::string_view to_string(FetchFailure failure);

struct FetchTimings {
  std::chrono::microseconds dns{0};
  std::chrono::microseconds connect{0};
  std::chrono::microseconds tls{0};
  std::chrono::microseconds first_byte{0};  // from request sent to first response byte
  std::chrono::microseconds total{0};       // whole fetch, redirects included
};

struct TlsInfo {
  bool used = false;
  bool verified = false;     // chain and hostname verified (false when verification is off)
  std::string verify_error;  // OpenSSL's reason when verification failed
  std::optional<Time> cert_not_after;
  std::string cert_sha256;  // hex SHA-256 of the leaf certificate (DER)
};

struct FetchResult {
  FetchFailure failure = FetchFailure::none;
  std::string detail;                           // human-readable reason when failure != none
  int status = 0;                               // final HTTP status code; 0 when no response
  FetchTimings timings;                         // dns/connect/tls/first_byte of the final hop
  std::string remote_address;                   // address actually used: "127.0.0.1:8080", "[::1]:8080"
  std::vector<std::string> resolved_addresses;  // all addresses of the final host, sorted, no port
  std::string final_url;                        // after redirects
  int redirects = 0;
  TlsInfo tls;
  std::string content_type;
  std::string etag;  // the final response's validators, as sent ("" when absent)
  std::string last_modified;
  std::string body;  // at most max_body bytes (empty when body_too_large)
};

}  // namespace netwarden
