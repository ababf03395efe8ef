// Which URLs a target's crawl fetches ([targets.ID.crawl]): those on the
// target URL's host or one of crawl.hosts (exactly: a subdomain is a site
// of its own), matching an `include` pattern when there are any and no
// `exclude` pattern, and holding no personal number (a link to a query
// page with an ID number in it is not followed: the frontier would have to
// keep the number).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "probes/content/ignore_patterns.h"

namespace netwarden {

class CrawlScope {
 public:
  // `target.crawl` is set. Errors: a pattern that does not compile (the
  // config check has caught it already).
  static Result<CrawlScope> create(const WebTarget& target);

  // `url` as resolve_link() writes it.
  bool allows(std::string_view url) const;

 private:
  std::vector<std::string> hosts_;
  content_detail::IgnorePatterns include_;
  content_detail::IgnorePatterns exclude_;
};

}  // namespace netwarden
