#include "daemon/crawl/crawl_scope.h"

#include <algorithm>
#include <chrono>

#include "common/url_host.h"
#include "probes/content/personal_data.h"

namespace netwarden {

Result<CrawlScope> CrawlScope::create(const WebTarget& target) {
  CrawlScope scope;
  scope.hosts_.push_back(url_host(target.url));
  for (const std::string& host : target.crawl->hosts) scope.hosts_.push_back(host);
  auto include = content_detail::IgnorePatterns::compile(target.crawl->include);
  if (!include) return std::unexpected(include.error());
  auto exclude = content_detail::IgnorePatterns::compile(target.crawl->exclude);
  if (!exclude) return std::unexpected(exclude.error());
  scope.include_ = std::move(*include);
  scope.exclude_ = std::move(*exclude);
  return scope;
}

bool CrawlScope::allows(std::string_view url) const {
  if (std::ranges::find(hosts_, url_host(url)) == hosts_.end()) return false;
  if (!include_.empty() && !include_.matches_any(url)) return false;
  if (exclude_.matches_any(url)) return false;
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return content_detail::find_personal_numbers(url, today).empty();
}

}  // namespace netwarden
