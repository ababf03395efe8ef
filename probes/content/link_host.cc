#include "probes/content/link_host.h"

#include <algorithm>

namespace netwarden::content_detail {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_slash(char c) { return c == '/' || c == '\\'; }

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return fold(x) == fold(y); });
}

bool is_special_scheme(std::string_view scheme) {
  for (std::string_view s : {"http", "https", "ftp", "ws", "wss"}) {
    if (iequals(scheme, s)) return true;
  }
  return false;
}

// Where the authority starts, or npos when the reference has none.
std::size_t authority_start(std::string_view url) {
  if (url.size() >= 2 && is_slash(url[0]) && is_slash(url[1])) return 2;
  if (url.empty() || !is_alpha(url[0])) return std::string_view::npos;
  std::size_t i = 1;
  while (i < url.size() &&
         (is_alpha(url[i]) || (url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '-' || url[i] == '.')) {
    ++i;
  }
  if (i >= url.size() || url[i] != ':') return std::string_view::npos;
  const std::size_t after = i + 1;
  if (is_special_scheme(url.substr(0, i))) {
    std::size_t j = after;
    while (j < url.size() && is_slash(url[j])) ++j;
    return j > after ? j : std::string_view::npos;
  }
  return url.substr(after).starts_with("//") ? after + 2 : std::string_view::npos;
}

}  // namespace

std::optional<std::string_view> link_host(std::string_view url) {
  while (!url.empty() && static_cast<unsigned char>(url.front()) <= ' ') url.remove_prefix(1);
  const std::size_t start = authority_start(url);
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view host = url.substr(start);
  host = host.substr(0, std::min(host.size(), host.find_first_of("/\\?#")));
  if (const std::size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (host.starts_with('[')) {
    host = host.substr(0, std::min(host.size(), host.find(']') + 1));
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  while (host.ends_with('.')) host.remove_suffix(1);
  if (host.empty()) return std::nullopt;
  return host;
}

bool is_foreign_link(std::string_view url, std::string_view page_host) {
  const std::optional<std::string_view> host = link_host(url);
  return host && !iequals(*host, page_host);
}

}  // namespace netwarden::content_detail
