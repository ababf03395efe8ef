// Cloaking (快照劫持): the same page fetched as search-engine crawlers, as a
// visitor arriving from a search and as a phone, compared with the plain
// fetch. A hijacked site shows spam only to them, so what a variant carries
// and the plain page does not is the evidence.
//
// Pure: the web monitor fetches and analyses each variant and passes the
// results in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/core/web_check.h"
#include "probes/content/digest_result.h"
#include "probes/web/fetch_result.h"

namespace netwarden {

struct CloakingVariant {
  std::string name;        // "Baiduspider", as evidence and on the target
  std::string user_agent;  // the User-Agent header sent
  std::string referer;     // the Referer header sent; "" for none
};

// In this order: the target's crawlers (cloaking_crawlers, by default
// Baiduspider, Sogou web spider, 360Spider and Bytespider), a visitor from a
// Baidu search for the site's name, and a mobile browser unless the
// target's cloaking_mobile_agent is "". The first variant that shows more
// than the plain page is the one the verdict names.
std::vector<CloakingVariant> cloaking_variants(const WebTarget& target);

// One variant's fetch and, when it delivered a page, the page's digest.
struct VariantCheck {
  std::string name;
  FetchResult fetch;
  std::optional<ContentDigest> digest;
};

struct CloakingVerdict {
  CloakingShown shown;     // the first variant that shows more than the plain page, and what it shows
  std::string difference;  // what it shows more, in words
  bool keyword = false;    // the difference holds a harmful keyword
  // Variants the site refused ("Baiduspider: HTTP 403"): shown on the
  // target, never counted as cloaking (a firewall's fake-spider block).
  std::vector<std::string> refused;
};

CloakingVerdict judge_cloaking(const WebTarget& target, const FetchResult& plain_fetch, const ContentDigest& plain,
                               const std::vector<VariantCheck>& variants);

}  // namespace netwarden
