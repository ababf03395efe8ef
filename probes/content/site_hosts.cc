#include "probes/content/site_hosts.h"

#include <algorithm>

namespace netwarden::content_detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  while (out.ends_with('.')) out.pop_back();
  return out;
}

bool iequals_lower(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() && std::equal(a.begin(), a.end(), lower_b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? static_cast<char>(x + 32) : x) == y;
         });
}

// `host` is `domain` or ends in "." + domain.
bool within(std::string_view host, std::string_view domain) {
  if (domain.empty() || host.size() < domain.size()) return false;
  if (!iequals_lower(host.substr(host.size() - domain.size()), domain)) return false;
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

}  // namespace

SiteHosts::SiteHosts(std::string_view page_host, const std::vector<std::string>& allowed)
    : page_host_(lower(page_host)), site_(page_host_) {
  if (site_.starts_with("www.")) site_.erase(0, 4);
  for (const std::string& host : allowed) {
    if (std::string h = lower(host); !h.empty()) allowed_.push_back(std::move(h));
  }
}

bool SiteHosts::is_own(std::string_view host) const {
  while (host.ends_with('.')) host.remove_suffix(1);
  return iequals_lower(host, page_host_) || within(host, site_);
}

bool SiteHosts::is_allowed(std::string_view host) const {
  if (is_own(host)) return true;
  while (host.ends_with('.')) host.remove_suffix(1);
  return std::any_of(allowed_.begin(), allowed_.end(), [&](const std::string& a) { return within(host, a); });
}

}  // namespace netwarden::content_detail
