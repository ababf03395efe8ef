// The small value languages of the config file: sizes, status ranges, CIDRs,
// endpoints, names, e-mail addresses, web URLs and ids.
//
// Pure functions without I/O, safe from any thread. Each returns the value or
// an Error whose message describes the problem with the text alone (the
// loader adds the key and the position).
#pragma once

#include <cstdint>
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

// An absolute http:// or https:// URL with a host.
Result<void> check_web_url(std::string_view text);

// Ids ([targets.ID] etc.) are typed on the command line: letters, digits,
// '-' and '_'.
bool is_valid_id(std::string_view id);

}  // namespace netwarden::config_detail
