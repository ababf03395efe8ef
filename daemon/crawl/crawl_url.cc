#include "daemon/crawl/crawl_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cstddef>

namespace netwarden {

namespace urls = boost::urls;

namespace {

// As a browser reads an href: leading and trailing controls and spaces
// stripped, tabs and line breaks inside dropped, and what a URL may not hold
// raw (spaces, non-ASCII bytes of a Chinese file name, quotes, braces)
// percent-encoded.
std::string cleaned(std::string_view href) {
  while (!href.empty() && static_cast<unsigned char>(href.front()) <= 0x20) href.remove_prefix(1);
  while (!href.empty() && static_cast<unsigned char>(href.back()) <= 0x20) href.remove_suffix(1);
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(href.size());
  for (char c : href) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (b <= 0x20 || b >= 0x7F || std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Escapes with upper-case hex, an escaped unreserved character decoded
// (RFC 3986 6.2.2): nothing else, for %2F in a path and %26 in a query are
// not the URL that / and & make. `lower`: letters outside escapes too.
std::string normalised(std::string_view s, bool lower = false) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int high = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(s[i + 2]) : -1;
    if (low < 0) {
      out += lower && s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
      continue;
    }
    const auto c = static_cast<unsigned char>(high * 16 + low);
    if (is_unreserved(c)) {
      out += lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    } else {
      out += '%';
      out += "0123456789ABCDEF"[high];
      out += "0123456789ABCDEF"[low];
    }
    i += 2;
  }
  return out;
}

// RFC 3986 5.2.4; a ".." above the root stays at the root.
std::string without_dot_segments(std::string_view in) {
  std::string out;
  const auto drop_last_segment = [&out] {
    const std::size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./") || in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      drop_last_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const std::size_t end = std::min(in.size(), in.find('/', 1));
      out += in.substr(0, end);
      in.remove_prefix(end);
    }
  }
  return out;
}

}  // namespace

// Resolved by hand (RFC 3986 5.2) on the parts as written: Boost.URL 1.81's
// resolve() and normalize() decode reserved characters (%2F in a path, %26
// in a query) and leave a ".." above the root in place, and so lead to
// another page than the link does.
std::optional<std::string> resolve_link(std::string_view base, std::string_view href) {
  const auto from = urls::parse_uri(base);
  const std::string written = cleaned(href);
  const auto reference = urls::parse_uri_reference(written);
  if (!from || !reference) return std::nullopt;
  const urls::url_view& ref = *reference;
  const urls::url_view& authority = ref.has_scheme() || ref.has_authority() ? ref : *from;
  const std::string scheme = normalised(ref.has_scheme() ? ref.scheme() : from->scheme(), true);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  if (!authority.has_authority() || authority.encoded_host().empty()) return std::nullopt;
  const std::string_view ref_path = ref.encoded_path();
  std::string path;
  urls::pct_string_view query = ref.encoded_query();
  bool has_query = ref.has_query();
  if (&authority == &ref || ref_path.starts_with('/')) {
    path = without_dot_segments(normalised(ref_path));
  } else if (ref_path.empty()) {
    path = normalised(from->encoded_path());
    if (!has_query) {
      query = from->encoded_query();
      has_query = from->has_query();
    }
  } else {
    const std::string_view base_path = from->encoded_path();
    const std::string_view directory = base_path.substr(0, base_path.rfind('/') + 1);
    path = without_dot_segments(normalised(std::string(directory.empty() ? "/" : directory).append(ref_path)));
  }
  if (!path.empty() && path.front() != '/') return std::nullopt;  // "http://host:port/" read as host, path "port/"
  std::string out = scheme + "://";
  if (authority.has_userinfo()) out += normalised(authority.encoded_userinfo()) + "@";
  out += normalised(authority.encoded_host(), true);
  const std::string_view port = authority.port();
  if (!port.empty() && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443")) {
    out += ":" + std::string(port);
  }
  out += path.empty() ? "/" : path;
  if (has_query) out += "?" + normalised(query);
  if (!urls::parse_uri(out)) return std::nullopt;
  return out;
}

}  // namespace netwarden
