#include "config/value_syntax.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>
#include <string>

#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/parse.hpp>

#include "config/load_config.h"

namespace netwarden::config_detail {
namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Whole-string unsigned decimal; nullopt on anything else (sign, spaces).
std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The URL of check_web_url, viewing `text`.
Result<boost::urls::url_view> parse_web_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(boost::urls::string_view(text.data(), text.size()));
  if (!parsed) return fail(quoted(text) + " is not a valid URL (write it like \"https://www.example.edu.cn/\")");
  const boost::urls::url_view& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::http && url.scheme_id() != boost::urls::scheme::https) {
    return fail("only http:// and https:// URLs are supported, not " + quoted(text));
  }
  if (!url.has_authority() || url.encoded_host().empty()) return fail("URL " + quoted(text) + " has no host name");
  if (url.has_port() && url.port_number() == 0) return fail("URL " + quoted(text) + " has an invalid port");
  return url;
}

}  // namespace

Result<std::uint64_t> parse_size(std::string_view text) {
  struct SizeUnit {
    std::string_view name;
    std::uint64_t bytes;
  };
  static constexpr std::array<SizeUnit, 5> kUnits = {
      {{"KiB", 1024}, {"MiB", 1024 * 1024ULL}, {"KB", 1000}, {"MB", 1000 * 1000ULL}, {"B", 1}}};
  const std::string hint = " (write a number of bytes, or e.g. \"512KiB\", \"2MiB\"; units B, KB, KiB, MB, MiB)";
  for (const SizeUnit& unit : kUnits) {
    if (!text.ends_with(unit.name)) continue;
    std::string_view number = text.substr(0, text.size() - unit.name.size());
    while (number.ends_with(' ')) number.remove_suffix(1);
    std::optional<std::uint64_t> amount = parse_unsigned(number);
    if (!amount) break;
    if (*amount == 0) return fail("size must be larger than 0");
    if (*amount > UINT64_MAX / unit.bytes) return fail("size " + quoted(text) + " is too large");
    return *amount * unit.bytes;
  }
  return fail(quoted(text) + " is not a size" + hint);
}

Result<StatusRange> parse_status_range(std::string_view text) {
  std::string_view low_text = text, high_text = text;
  if (std::size_t dash = text.find('-'); dash != std::string_view::npos) {
    low_text = text.substr(0, dash);
    high_text = text.substr(dash + 1);
  }
  std::optional<std::uint64_t> low = parse_unsigned(low_text), high = parse_unsigned(high_text);
  if (!low || !high) return fail(quoted(text) + " is not a status code or a range like \"200-399\"");
  if (*low < 100 || *high > 599) return fail("status codes are between 100 and 599, not " + quoted(text));
  if (*low > *high) return fail("status range " + quoted(text) + " is backwards");
  return StatusRange{static_cast<int>(*low), static_cast<int>(*high)};
}

Result<Cidr> parse_cidr(std::string_view text) {
  Cidr cidr;
  cidr.text = std::string(text);
  std::string address(text);
  std::string_view prefix_text;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    prefix_text = text.substr(slash + 1);
  }
  cidr.ipv6 = address.find(':') != std::string::npos;
  if (inet_pton(cidr.ipv6 ? AF_INET6 : AF_INET, address.c_str(), cidr.address.data()) != 1) {
    return fail(quoted(text) + " is not a network like \"10.0.0.0/8\" or \"2001:db8::/32\"");
  }
  const int bits = cidr.ipv6 ? 128 : 32;
  cidr.prefix = bits;
  if (text.find('/') != std::string_view::npos) {
    std::optional<std::uint64_t> prefix = parse_unsigned(prefix_text);
    if (!prefix || *prefix > static_cast<std::uint64_t>(bits)) {
      return fail("prefix length in " + quoted(text) + " must be between 0 and " + std::to_string(bits));
    }
    cidr.prefix = static_cast<int>(*prefix);
  }
  Cidr network = cidr;
  for (int bit = cidr.prefix; bit < bits; ++bit) {
    network.address[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  if (network.address != cidr.address) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(cidr.ipv6 ? AF_INET6 : AF_INET, network.address.data(), buf, sizeof buf);
    return fail(quoted(text) + " has host bits set; did you mean \"" + buf + "/" + std::to_string(cidr.prefix) + "\"?");
  }
  return cidr;
}

bool is_ip_address(std::string_view text) {
  std::string copy(text);
  std::array<std::uint8_t, 16> buf{};
  return inet_pton(AF_INET, copy.c_str(), buf.data()) == 1 || inet_pton(AF_INET6, copy.c_str(), buf.data()) == 1;
}

bool is_dns_name(std::string_view text) {
  if (text.ends_with('.')) text.remove_suffix(1);  // fully qualified
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-' && c != '_') return false;
    }
    start = end + 1;
  }
  return true;
}

Result<void> check_endpoint(std::string_view text) {
  const std::string expected = quoted(text) + " is not an endpoint like \"203.0.113.5:443\", \"www.example.com:443\"" +
                               " or \"[2001:db8::1]:443\"";
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return fail(expected);
  std::string_view host = text.substr(0, colon);
  std::optional<std::uint64_t> port = parse_unsigned(text.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) return fail("port in " + quoted(text) + " must be between 1 and 65535");
  if (host.starts_with('[') && host.ends_with(']')) {
    std::string inner(host.substr(1, host.size() - 2));
    std::array<std::uint8_t, 16> buf{};
    if (inet_pton(AF_INET6, inner.c_str(), buf.data()) != 1) return fail(expected);
    return {};
  }
  if (host.find(':') != std::string_view::npos) {
    return fail("write IPv6 endpoints in brackets, like \"[2001:db8::1]:443\", not " + quoted(text));
  }
  if (!is_ip_address(host) && !is_dns_name(host)) return fail(expected);
  return {};
}

bool looks_like_email(std::string_view text) {
  std::size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',') return false;
  }
  std::string_view domain = text.substr(at + 1);
  return !domain.starts_with('.') && !domain.ends_with('.');
}

Result<std::string> parse_mobile_number(std::string_view text) {
  const std::string expected = quoted(text) +
                               " is not a mainland China mobile number: 11 digits starting 13 to 19, like "
                               "\"13812345678\" or \"+86 138-1234-5678\"";
  std::string_view rest = text;
  if (rest.starts_with("+86")) rest.remove_prefix(3);
  std::string digits;
  for (char c : rest) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return fail(expected);
    digits += c;
  }
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') return fail(expected);
  return digits;
}

Result<void> check_web_url(std::string_view text) {
  Result<boost::urls::url_view> url = parse_web_url(text);
  if (!url) return fail(std::move(url.error().message));
  return {};
}

Result<void> check_request_url(std::string_view text) {
  Result<boost::urls::url_view> url = parse_web_url(text);
  if (!url) return fail(std::move(url.error().message));
  if (url->has_userinfo()) return fail("URL " + quoted(text) + " must not hold a user name or password");
  if (url->has_fragment()) return fail("URL " + quoted(text) + " must not have a fragment (\"#...\")");
  const bool this_machine =
      (url->host_type() == boost::urls::host_type::ipv4 && url->host_ipv4_address().is_loopback()) ||
      (url->host_type() == boost::urls::host_type::ipv6 && url->host_ipv6_address().is_loopback()) ||
      boost::urls::grammar::ci_is_equal(url->encoded_host(), "localhost");
  if (url->scheme_id() == boost::urls::scheme::http && !this_machine) {
    return fail("URL " + quoted(text) +
                " must be https:// (http:// only to this machine: \"localhost\" or a loopback address)");
  }
  return {};
}

Result<void> check_proxy(std::string_view text) {
  const std::string expected =
      quoted(text) +
      " is not a proxy like \"http://proxy.example.edu.cn:3128\" (http://, a host and a port, nothing else)";
  if (!text.starts_with("http://")) return fail(expected);
  std::string_view endpoint = text.substr(std::string_view("http://").size());
  if (endpoint.find_first_of("@/?#") != std::string_view::npos || !check_endpoint(endpoint)) return fail(expected);
  return {};
}

Result<Pace> parse_pace(std::string_view text) {
  constexpr int kMaxMessages = 1000;
  constexpr Duration kLongestWindow = std::chrono::hours(1);
  std::size_t slash = text.find('/');
  std::optional<std::uint64_t> messages = parse_unsigned(text.substr(0, slash));
  if (slash == std::string_view::npos || !messages) {
    return fail(quoted(text) + " is not a pace like \"20/1m\" (messages per duration)");
  }
  if (*messages < 1 || *messages > kMaxMessages) {
    return fail("the number of messages in " + quoted(text) + " must be between 1 and " + std::to_string(kMaxMessages));
  }
  Result<Duration> window = parse_duration(text.substr(slash + 1));
  if (!window) return fail(std::move(window.error().message));
  if (window->count() == 0) return fail("the duration in " + quoted(text) + " must be longer than 0s");
  if (*window > kLongestWindow) {
    return fail("the duration in " + quoted(text) + " must be at most " + format_duration(kLongestWindow));
  }
  return Pace{static_cast<int>(*messages), *window};
}

bool is_valid_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!is_alnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace netwarden::config_detail
