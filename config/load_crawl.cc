// [targets.ID.crawl]: whole-site inspection of one target.
#include <algorithm>

#include "config/sections.h"
#include "config/value_checks.h"

namespace netwarden::config_detail {
namespace {

constexpr std::int64_t kMaxPages = 1000000;
constexpr std::int64_t kMaxDepth = 100;
constexpr std::int64_t kMaxPerHost = 16;  // a crawl must not look like an attack on the site it inspects

void read_hosts(TableReader& r, std::vector<std::string>& out) {
  for (const Item& item : r.strings("hosts").value_or(std::vector<Item>{})) {
    if (Result<void> ok = check_allowed_host(item.value); !ok) {
      r.diag().error(item.at, "'hosts': " + ok.error().message);
      continue;
    }
    std::string host = item.value;
    std::ranges::transform(host, host.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
    if (std::ranges::find(out, host) == out.end()) out.push_back(std::move(host));
  }
}

}  // namespace

CrawlConfig read_crawl(const toml::table& table, const std::string& id, LoadContext& ctx) {
  TableReader r(table, "[targets." + id + ".crawl]", ctx.diag);
  CrawlConfig c;
  if (auto v = r.duration("every")) c.every = *v;
  if (auto v = r.integer("max_pages", 1, kMaxPages)) c.max_pages = static_cast<int>(*v);
  if (auto v = r.integer("max_depth", 0, kMaxDepth)) c.max_depth = static_cast<int>(*v);
  read_checked_list(r, "include", check_regex, c.include);
  read_checked_list(r, "exclude", check_regex, c.exclude);
  read_hosts(r, c.hosts);
  if (auto agent = r.string("user_agent")) {
    if (Result<void> ok = check_user_agent(*agent); !ok) {
      ctx.diag.error(r.value_position("user_agent"), "'user_agent': " + ok.error().message);
    } else {
      c.user_agent = std::move(*agent);
    }
  }
  if (auto v = r.integer("per_host_concurrency", 1, kMaxPerHost)) c.per_host_concurrency = static_cast<int>(*v);
  if (auto v = r.duration("delay", true)) c.delay = *v;
  if (auto v = r.boolean("sitemap")) c.sitemap = *v;
  if (auto v = r.boolean("attachments")) c.attachments = *v;
  if (auto v = read_size(r, "max_attachment")) c.max_attachment = *v;
  r.finish();
  return c;
}

}  // namespace netwarden::config_detail
