#include "daemon/web_monitor/cloaking_round.h"

#include "daemon/core/web_check.h"

namespace netwarden {

FetchRequest fetch_request(const WebTarget& target) {
  FetchRequest request;
  request.url = target.url;
  request.timeout = target.timeout;
  request.max_body = target.max_body;
  request.max_redirects = target.max_redirects;
  request.verify_tls = target.tls_verify;
  request.ca_file = target.ca_file;
  return request;
}

boost::asio::awaitable<std::optional<CloakingVerdict>> cloaking_round(
    AsyncSemaphore& checks, HttpFetcher& fetcher, const WebTarget& target, const ContentAnalyzer& analyzer,
    const FetchResult& plain_fetch, const ContentDigest& plain, const bool& stopping) {
  if (!co_await checks.acquire()) co_return std::nullopt;
  SemaphoreSlot slot(checks);
  std::vector<VariantCheck> variants;
  for (const CloakingVariant& variant : cloaking_variants(target)) {
    if (stopping) break;
    FetchRequest request = fetch_request(target);
    request.user_agent = variant.user_agent;
    request.referer = variant.referer;
    VariantCheck checked;
    checked.name = variant.name;
    checked.fetch = co_await fetcher.fetch(std::move(request));
    if (checked.fetch.failure == FetchFailure::none && status_expected(target, checked.fetch.status)) {
      const std::string& url = checked.fetch.final_url.empty() ? target.url : checked.fetch.final_url;
      checked.digest = analyzer.analyze(checked.fetch.body, url, checked.fetch.content_type);
      // Only the findings are compared; the texts would only take memory.
      checked.digest->text.clear();
      checked.digest->structure.clear();
    }
    checked.fetch.body.clear();
    variants.push_back(std::move(checked));
  }
  if (stopping) co_return std::nullopt;
  co_return judge_cloaking(target, plain_fetch, plain, variants);
}

}  // namespace netwarden
