// The parts of an http(s) URL that one fetch hop needs, parsed once with
// Boost.URL (which stays inside web_url.cc). Private to probes/web.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden {

struct WebUrl {
  std::string text;  // normalized, without fragment: the identity used to detect redirect loops
  bool https = false;
  std::string host;         // for DNS, SNI and certificate checks; IPv6 without brackets
  bool host_is_ip = false;  // literal address: no DNS lookup, no SNI
  std::string port;         // explicit or the scheme's default
  std::string host_header;  // "example.com", "example.com:8080", "[::1]:8080"
  std::string target;       // request target: path and query, at least "/"
};

// Absolute http:// or https:// URL with a host; anything else is an error.
Result<WebUrl> parse_web_url(std::string_view text);

// A redirect's Location, absolute or relative to `base` (RFC 3986 §5).
Result<WebUrl> resolve_location(const WebUrl& base, std::string_view location);

}  // namespace netwarden
