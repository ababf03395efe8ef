// The host of an absolute URL, and whether a host lies within a domain, as
// people read them in configs and e-mails. Pure; the URL is one the config
// or a fetch has already checked, so no full parser is needed.
#pragma once

#include <string>
#include <string_view>

namespace netwarden {

// "https://user@www.example.edu.cn:8443/x" -> "www.example.edu.cn:8443":
// the host and port as a Host header names them.
std::string url_authority(std::string_view url);

// "https://user@www.example.edu.cn:8443/x" -> "www.example.edu.cn";
// "http://[2001:db8::1]/" -> "[2001:db8::1]". Lower-cased.
std::string url_host(std::string_view url);

// `host` is `domain` or one of its subdomains ("a.cdn.example" within
// "cdn.example", not "badcdn.example"). Both lower-case.
bool host_within(std::string_view host, std::string_view domain);

}  // namespace netwarden
