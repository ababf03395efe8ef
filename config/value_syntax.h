// The small value languages of the config file: sizes, status ranges, CIDRs,
// endpoints, names, e-mail addresses, mobile numbers, web URLs, proxies,
// paces and ids.
//
// Pure functions without I/O, safe from any thread. Each returns the value or
// an Error whose message describes the problem with the text alone (the
// loader adds the key and the position).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/config.h"

namespace netwarden::config_detail {

// "2MiB", "512KB", "300 B": B, KB (1000), KiB (1024), MB, MiB. Positive.
Result<std::uint64_t> parse_size(std::string_view text);

// "200-399" or "404"; codes within 100..599.
Result<StatusRange> parse_status_range(std::string_view text);

// "10.0.0.0/8", "2001:db8::/32", or a bare address (/32, /128). Host bits
// must be zero.
Result<Cidr> parse_cidr(std::string_view text);

// "host:port" or "[ipv6]:port", port 1..65535.
Result<void> check_endpoint(std::string_view text);

// True for an IPv4 or IPv6 address in textual form.
bool is_ip_address(std::string_view text);

// A DNS host name: dot-separated labels of letters, digits and '-'.
bool is_dns_name(std::string_view text);

// local@domain, no spaces.
bool looks_like_email(std::string_view text);

// A mainland China mobile number, "13812345678", also written with "+86"
// in front and spaces or '-' between digits: its 11 digits.
Result<std::string> parse_mobile_number(std::string_view text);

// An absolute http:// or https:// URL with a host.
Result<void> check_web_url(std::string_view text);

// A URL netwarden sends requests to (a robot's endpoint, a webhook): as
// check_web_url, without user-info (credentials would end up in logs) or a
// fragment (never sent), and https:// unless the host is this machine
// ("localhost" or a loopback address), since messages name people and sites.
Result<void> check_request_url(std::string_view text);

// "http://host:port": an HTTP proxy, nothing else (no user, no path).
Result<void> check_proxy(std::string_view text);

// "20/1m": at most `messages` (1..1000) in every `window` (at most 1h).
struct Pace {
  int messages = 0;
  Duration window{0};
};
Result<Pace> parse_pace(std::string_view text);

// Ids ([targets.ID] etc.) are typed on the command line: letters, digits,
// '-' and '_'.
bool is_valid_id(std::string_view id);

}  // namespace netwarden::config_detail
