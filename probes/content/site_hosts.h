// Which hosts belong to the site a page is on, and which others the target
// trusts (ContentRules::allowed_hosts): the line between a page's own links
// and code and a planted one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netwarden::content_detail {

class SiteHosts {
 public:
  // `page_host` as link_host() gives it. The site is the page's host and
  // its subdomains; a leading "www." is dropped first, because
  // www.example.edu.cn and jwc.example.edu.cn are one institution's site.
  // `allowed` hosts count with their subdomains too. Case is ignored.
  SiteHosts(std::string_view page_host, const std::vector<std::string>& allowed);

  // The page's own site. A relative link has no host (link_host() gives
  // nullopt) and is the page's own without asking.
  bool is_own(std::string_view host) const;
  // Own, or one of the allowed hosts or their subdomains.
  bool is_allowed(std::string_view host) const;

 private:
  std::string page_host_;  // lower case
  std::string site_;       // page_host_ without "www."
  std::vector<std::string> allowed_;
};

}  // namespace netwarden::content_detail
