#include "daemon/core/cloaking.h"

#include <algorithm>

#include "common/url_host.h"
#include "daemon/core/observation.h"
#include "daemon/core/web_check.h"

namespace netwarden {

namespace {

constexpr std::string_view kDesktopBrowser =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36";

// A search for the site's name, as the Referer of a visitor who clicked the
// result: query bytes percent-encoded.
std::string baidu_search_for(std::string_view words) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "https://www.baidu.com/s?wd=";
  for (unsigned char c : words) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::vector<std::string> not_in(const std::vector<PageFinding>& found, const std::vector<PageFinding>& plain) {
  std::vector<std::string> out;
  for (const PageFinding& f : found) {
    bool known = std::any_of(plain.begin(), plain.end(), [&](const PageFinding& p) { return p.what == f.what; });
    if (!known) out.push_back(f.what);
  }
  return out;
}

std::vector<PageFinding> named(const std::vector<PageFinding>& found, const std::vector<std::string>& names) {
  std::vector<PageFinding> out;
  for (const PageFinding& f : found) {
    if (std::find(names.begin(), names.end(), f.what) != names.end()) out.push_back(f);
  }
  return out;
}

std::vector<KeywordHit> hits_of(const std::vector<KeywordHit>& hits, const std::vector<std::string>& keywords) {
  std::vector<KeywordHit> out;
  for (const KeywordHit& h : hits) {
    if (std::find(keywords.begin(), keywords.end(), h.keyword) != keywords.end()) out.push_back(h);
  }
  return out;
}

// A redirect within the site (a phone sent to m.example.edu.cn) or to an
// allowed host is no cloaking.
bool own_host(const WebTarget& target, const std::string& url) {
  const std::string host = url_host(url);
  std::string site = url_host(target.url);
  if (site.starts_with("www.")) site.erase(0, 4);  // www.x and m.x are the same site
  if (host_within(host, site)) return true;
  return std::any_of(target.allowed_hosts.begin(), target.allowed_hosts.end(),
                     [&](const std::string& allowed) { return host_within(host, allowed); });
}

}  // namespace

std::vector<CloakingVariant> cloaking_variants(const WebTarget& target) {
  std::vector<CloakingVariant> out;
  out.reserve(target.cloaking_crawlers.size() + 2);  // and the search visitor and the phone
  for (const CloakingCrawler& crawler : target.cloaking_crawlers) out.push_back({crawler.name, crawler.user_agent, ""});
  out.push_back({std::string(kSearchVisitorVariant), std::string(kDesktopBrowser),
                 baidu_search_for(target.name.empty() ? target.id : target.name)});
  if (!target.cloaking_mobile_agent.empty()) {
    out.push_back({std::string(kMobileVariant), target.cloaking_mobile_agent, ""});
  }
  return out;
}

CloakingVerdict judge_cloaking(const WebTarget& target, const FetchResult& plain_fetch, const ContentDigest& plain,
                               const std::vector<VariantCheck>& variants) {
  CloakingVerdict out;
  for (const VariantCheck& v : variants) {
    if (v.fetch.failure != FetchFailure::none) {
      out.refused.push_back(v.name + ": " + std::string(to_string(v.fetch.failure)));
      continue;
    }
    if (!status_expected(target, v.fetch.status)) {
      out.refused.push_back(v.name + ": HTTP " + std::to_string(v.fetch.status));
      continue;
    }
    if (!v.digest || !out.shown.variant.empty()) continue;
    std::vector<std::string> parts;
    std::vector<std::string> words;
    std::set_difference(v.digest->harmful_found.begin(), v.digest->harmful_found.end(), plain.harmful_found.begin(),
                        plain.harmful_found.end(), std::back_inserter(words));
    if (!words.empty()) parts.push_back("harmful keywords " + comma_list(words));
    const std::vector<std::string> links = not_in(v.digest->hidden_links, plain.hidden_links);
    if (!links.empty()) parts.push_back("hidden links " + comma_list(links));
    const std::vector<std::string> code = not_in(v.digest->foreign_code, plain.foreign_code);
    if (!code.empty()) parts.push_back("foreign code " + comma_list(code));
    if (v.fetch.redirects > 0 && v.fetch.final_url != plain_fetch.final_url && !own_host(target, v.fetch.final_url)) {
      parts.push_back("a redirect to " + v.fetch.final_url);
    }
    if (parts.empty()) continue;
    out.shown = {v.name, hits_of(v.digest->harmful_hits, words), named(v.digest->hidden_links, links),
                 named(v.digest->foreign_code, code)};
    out.difference = comma_list(parts);
    out.keyword = !words.empty() || carries_keyword(out.shown.hidden_links, v.digest->harmful_found) ||
                  carries_keyword(out.shown.foreign_code, v.digest->harmful_found);
  }
  return out;
}

}  // namespace netwarden
