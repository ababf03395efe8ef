#include "daemon/crawl/site_crawler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <list>
#include <map>
#include <random>

#include "daemon/crawl/crawl_scope.h"
#include "daemon/crawl/crawl_url.h"
#include "daemon/crawl/sitemap.h"
#include "daemon/store/page_evidence_json.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/web_monitor/cloaking_round.h"
#include "daemon/web_monitor/coroutine_failure.h"
#include "probes/attachments/attachment_kind.h"
#include "probes/web/http_fetcher.h"

namespace netwarden {

namespace asio = boost::asio;
using SteadyClock = asio::steady_timer::clock_type;

namespace {

constexpr auto kReportEvery = std::chrono::seconds(10);
constexpr auto kFirstCrawlSpread = std::chrono::seconds(10);
// A worker with nothing to fetch while others are still reading pages
// waits this long for the links they find.
constexpr auto kFrontierPoll = std::chrono::milliseconds(50);
constexpr std::size_t kMaxSitemaps = 20;  // of a sitemap index, each up to 50,000 pages

struct KnownPage {
  std::int64_t depth = 0;
  std::int64_t found_run = 0;
  std::int64_t fetched_run = 0;
  std::string etag;
  std::string last_modified;
  std::string text_sha256;
  std::string outcome;
  PageEvidence evidence;
};

PageEvidence evidence_of(const ContentDigest& digest, const std::string& url) {
  PageEvidence e{digest.harmful_hits, digest.hidden_links, digest.foreign_code, digest.personal_data};
  for (auto& f : e.harmful_hits) f.page = url;
  for (auto& f : e.hidden_links) f.page = url;
  for (auto& f : e.foreign_code) f.page = url;
  for (auto& f : e.personal_data) f.page = url;
  return e;
}

bool is_html(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  return media.empty() || media.find("html") != std::string_view::npos;
}

std::string megabytes(std::uint64_t bytes) { return std::to_string(bytes / (std::uint64_t{1024} * 1024)) + " MiB"; }

}  // namespace

struct CrawlSite {
  CrawlSite(asio::any_io_executor executor, WebTarget t, ContentAnalyzer a, CrawlScope s)
      : target(std::move(t)), analyzer(std::move(a)), scope(std::move(s)), wake(executor), workers_done(executor) {}

  const CrawlConfig& crawl() const { return *target.crawl; }

  WebTarget target;
  ContentAnalyzer analyzer;
  CrawlScope scope;
  std::map<std::string, KnownPage> pages;
  CrawlRunRow run;  // run 0: never crawled
  // URLs to fetch in this crawl, by depth (breadth first). An entry may be
  // stale: its page fetched or forgotten since it was queued.
  std::map<std::int64_t, std::deque<std::string>> frontier;

  bool running = false;
  bool due_now = false;  // crawl_now() asked for one
  int done = 0;
  int not_modified = 0;
  int errors = 0;
  int not_inspected = 0;
  int in_fetch = 0;  // workers reading a page, which may find more
  int workers = 0;   // workers not ended yet
  // The pace of the running crawl since this daemon took it up.
  SteadyClock::time_point resumed_at;
  int done_at_resume = 0;
  bool findings_changed = false;
  SteadyClock::time_point last_report;

  asio::steady_timer wake;          // the wait for the next crawl
  asio::steady_timer workers_done;  // cancelled by the last worker to end
  std::list<asio::cancellation_signal> worker_stops;
};

struct SiteCrawler::Impl {
  Impl(asio::any_io_executor e, StoreWriter& w, WriteHealth& h, ExtractLimits limits)
      : executor(e),
        writer(w),
        health(h),
        extract_limits(std::move(limits)),
        fetcher(e),
        random(std::random_device{}()) {}

  asio::awaitable<void> schedule(CrawlSite& site);
  asio::awaitable<void> crawl(CrawlSite& site);
  asio::awaitable<void> begin_run(CrawlSite& site);
  asio::awaitable<void> read_sitemaps(CrawlSite& site);
  asio::awaitable<void> worker(CrawlSite& site);
  asio::awaitable<void> visit(CrawlSite& site, const std::string& url);
  asio::awaitable<void> read_attachment(CrawlSite& site, KnownPage& page, const std::string& url, AttachmentKind kind,
                                        std::string body);
  void read_page(CrawlSite& site, KnownPage& page, const std::string& url, const FetchResult& fetch);
  void judged(CrawlSite& site, KnownPage& page, const std::string& url, const ContentDigest& digest,
              std::string outcome);
  void not_inspected(CrawlSite& site, KnownPage& page, const std::string& why);

  void discover(CrawlSite& site, const std::string& url, std::int64_t depth);
  std::optional<std::string> next_url(CrawlSite& site);
  void set_evidence(CrawlSite& site, KnownPage& page, PageEvidence evidence);
  void forget(CrawlSite& site, const std::string& url);
  void write_page(const CrawlSite& site, const std::string& url, const KnownPage& page);
  void write_run(const CrawlSite& site);
  void report(CrawlSite& site, bool complete);
  CrawlSite* find(const std::string& target) const;

  asio::any_io_executor executor;
  StoreWriter& writer;
  WriteHealth& health;
  ExtractLimits extract_limits;
  HttpFetcher fetcher;
  std::mt19937_64 random;
  std::vector<std::unique_ptr<CrawlSite>> sites;
  ReportListener listener;
  bool stopping = false;
};

SiteCrawler::SiteCrawler(asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health,
                         ExtractLimits extract_limits)
    : impl_(std::make_unique<Impl>(executor, writer, health, std::move(extract_limits))) {}

SiteCrawler::~SiteCrawler() = default;

void SiteCrawler::on_report(ReportListener listener) { impl_->listener = std::move(listener); }

Result<void> SiteCrawler::add_target(const WebTarget& target, ContentAnalyzer analyzer, CrawlSaved saved) {
  auto scope = CrawlScope::create(target);
  if (!scope) return std::unexpected(Error{"target '" + target.id + "': crawl: " + scope.error().message});
  auto site = std::make_unique<CrawlSite>(impl_->executor, target, std::move(analyzer), std::move(*scope));
  if (saved.run) site->run = std::move(*saved.run);
  site->run.target = target.id;
  for (CrawlPageRow& row : saved.pages) {
    site->pages.emplace(std::move(row.url), KnownPage{row.depth, row.found_run, row.fetched_run, std::move(row.etag),
                                                      std::move(row.last_modified), std::move(row.text_sha256),
                                                      std::move(row.outcome), page_evidence_from_text(row.evidence)});
  }
  impl_->sites.push_back(std::move(site));
  return {};
}

void SiteCrawler::start() {
  for (auto& site : impl_->sites) {
    asio::co_spawn(impl_->executor, impl_->schedule(*site), log_exception("crawl of target '" + site->target.id + "'"));
  }
}

void SiteCrawler::stop() {
  impl_->stopping = true;
  for (auto& site : impl_->sites) {
    site->wake.cancel();
    for (auto& stop : site->worker_stops) stop.emit(asio::cancellation_type::terminal);
  }
}

Result<bool> SiteCrawler::crawl_now(const std::string& target) {
  CrawlSite* site = impl_->find(target);
  if (site == nullptr) return std::unexpected(Error{"target '" + target + "' has no [targets." + target + ".crawl]"});
  if (site->running) return false;
  site->due_now = true;
  site->wake.cancel();
  return true;
}

std::optional<CrawlProgress> SiteCrawler::progress(const std::string& target) const {
  const CrawlSite* site = impl_->find(target);
  if (site == nullptr) return std::nullopt;
  CrawlProgress p;
  p.running = site->running;
  if (site->run.run > 0) p.started = site->run.started_at;
  p.done = site->done;
  p.budget = site->crawl().max_pages;
  if (site->running) {
    p.queued = static_cast<int>(std::ranges::count_if(
        site->pages, [&](const auto& known) { return known.second.fetched_run != site->run.run; }));
  }
  p.not_modified = site->not_modified;
  p.errors = site->errors;
  p.not_inspected = site->not_inspected;
  p.last_complete = site->run.last_complete_at;
  p.last_complete_pages = static_cast<int>(site->run.last_complete_pages);
  const int done_here = site->done - site->done_at_resume;
  if (site->running && done_here > 0) {
    const int left = std::min(p.queued, p.budget - p.done);
    const auto per_page = (SteadyClock::now() - site->resumed_at) / done_here;
    p.eta = now_utc() + std::chrono::duration_cast<Duration>(per_page * left);
  }
  if (!site->running && site->run.run > 0) p.next = site->run.started_at + site->crawl().every;
  return p;
}

std::vector<std::string> SiteCrawler::targets() const {
  std::vector<std::string> ids;
  for (const auto& site : impl_->sites) ids.push_back(site->target.id);
  return ids;
}

CrawlSite* SiteCrawler::Impl::find(const std::string& target) const {
  for (const auto& site : sites) {
    if (site->target.id == target) return site.get();
  }
  return nullptr;
}

asio::awaitable<void> SiteCrawler::Impl::schedule(CrawlSite& site) {
  const bool unfinished = site.run.run > 0 && !site.run.finished_at;
  if (!unfinished) {
    // Never crawled: within the first seconds, spread so that targets do
    // not start together; else `every` after the last one started.
    std::uniform_int_distribution<Duration::rep> spread(0, Duration(kFirstCrawlSpread).count());
    const Time due = site.run.run > 0 ? site.run.started_at + site.crawl().every : now_utc() + Duration(spread(random));
    site.wake.expires_after(std::max(Duration{0}, due - now_utc()));
  } else {
    site.wake.expires_after(Duration{0});
  }
  while (!stopping) {
    boost::system::error_code ec;
    co_await site.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping) break;
    if (ec && !std::exchange(site.due_now, false)) continue;  // a stray cancel
    site.due_now = false;
    co_await crawl(site);
    if (stopping) break;
    site.wake.expires_after(std::max(Duration{0}, site.run.started_at + site.crawl().every - now_utc()));
  }
}

asio::awaitable<void> SiteCrawler::Impl::crawl(CrawlSite& site) {
  site.running = true;
  if (site.run.run == 0 || site.run.finished_at) {
    co_await begin_run(site);
  } else {
    spdlog::info("target '{}': crawl {} resumed", site.target.id, site.run.run);
    site.done = 0;
    site.frontier.clear();
    for (const auto& [url, page] : site.pages) {
      if (page.fetched_run == site.run.run) {
        ++site.done;
      } else {
        site.frontier[page.depth].push_back(url);
      }
    }
  }
  site.resumed_at = SteadyClock::now();
  site.done_at_resume = site.done;
  site.last_report = SteadyClock::now();

  const int workers = std::max(1, site.crawl().per_host_concurrency);
  site.workers = workers;
  site.workers_done.expires_at(SteadyClock::time_point::max());
  for (int i = 0; i < workers && !stopping; ++i) {
    auto& stop = site.worker_stops.emplace_back();
    asio::co_spawn(
        executor, worker(site),
        asio::bind_cancellation_slot(stop.slot(), log_exception("crawl worker of '" + site.target.id + "'")));
  }
  boost::system::error_code ec;
  if (site.workers > 0) co_await site.workers_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  site.worker_stops.clear();
  site.running = false;
  if (stopping) co_return;  // resumed at the next start

  const Time now = now_utc();
  site.run.finished_at = now;
  site.run.last_complete_at = now;
  site.run.last_complete_pages = site.done;
  write_run(site);
  spdlog::info("target '{}': crawl {} complete: {} pages and files ({} unchanged, {} errors, {} not inspected)",
               site.target.id, site.run.run, site.done, site.not_modified, site.errors, site.not_inspected);
  report(site, true);
}

asio::awaitable<void> SiteCrawler::Impl::begin_run(CrawlSite& site) {
  ++site.run.run;
  site.run.started_at = now_utc();
  site.run.finished_at.reset();
  site.done = site.not_modified = site.errors = site.not_inspected = 0;
  site.frontier.clear();
  write_run(site);
  spdlog::info("target '{}': crawl {} started", site.target.id, site.run.run);
  // Every known page is visited again; those the patterns no longer allow
  // (the config changed) are forgotten.
  std::vector<std::string> out_of_scope;
  for (const auto& [url, page] : site.pages) {
    if (!site.scope.allows(url) || page.depth > site.crawl().max_depth) {
      out_of_scope.push_back(url);
    } else {
      site.frontier[page.depth].push_back(url);
    }
  }
  for (const auto& url : out_of_scope) forget(site, url);
  discover(site, site.target.url, 0);
  if (site.crawl().sitemap) co_await read_sitemaps(site);
}

asio::awaitable<void> SiteCrawler::Impl::read_sitemaps(CrawlSite& site) {
  std::deque<std::string> sitemaps;
  if (auto first = resolve_link(site.target.url, "/sitemap.xml")) sitemaps.push_back(*first);
  std::size_t read = 0;
  while (!sitemaps.empty() && read < kMaxSitemaps && !stopping) {
    FetchRequest request = fetch_request(site.target);
    request.url = sitemaps.front();
    request.user_agent = site.crawl().user_agent;
    request.max_body = std::max<std::uint64_t>(site.target.max_body, site.crawl().max_attachment);
    sitemaps.pop_front();
    ++read;
    const FetchResult fetch = co_await fetcher.fetch(std::move(request));
    if (fetch.failure != FetchFailure::none || fetch.status != 200) continue;
    const Sitemap map = read_sitemap(fetch.body);
    for (const std::string& loc : map.pages) {
      if (auto url = resolve_link(fetch.final_url, loc)) discover(site, *url, 0);
    }
    for (const std::string& loc : map.sitemaps) {
      auto url = resolve_link(fetch.final_url, loc);
      if (url && site.scope.allows(*url)) sitemaps.push_back(*url);
    }
  }
}

void SiteCrawler::Impl::discover(CrawlSite& site, const std::string& url, std::int64_t depth) {
  if (depth > site.crawl().max_depth || !site.scope.allows(url)) return;
  auto [it, added] = site.pages.try_emplace(url);
  KnownPage& page = it->second;
  if (added) {
    page.depth = depth;
    page.found_run = site.run.run;
    site.frontier[depth].push_back(url);
    // The frontier is kept, so that a restart does not lose what was found.
    write_page(site, url, page);
    return;
  }
  page.found_run = site.run.run;
  if (depth < page.depth) page.depth = depth;
}

std::optional<std::string> SiteCrawler::Impl::next_url(CrawlSite& site) {
  while (!site.frontier.empty()) {
    auto level = site.frontier.begin();
    if (level->second.empty()) {
      site.frontier.erase(level);
      continue;
    }
    std::string url = std::move(level->second.front());
    level->second.pop_front();
    const auto page = site.pages.find(url);
    if (page != site.pages.end() && page->second.fetched_run != site.run.run) return url;
  }
  return std::nullopt;
}

asio::awaitable<void> SiteCrawler::Impl::worker(CrawlSite& site) {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer pause(executor);
  while (!stopping && site.done < site.crawl().max_pages) {
    std::optional<std::string> url = next_url(site);
    if (!url && site.in_fetch == 0) break;
    boost::system::error_code ec;
    if (!url) {
      pause.expires_after(kFrontierPoll);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    ++site.in_fetch;
    co_await visit(site, *url);
    --site.in_fetch;
    if (stopping) break;
    if (site.findings_changed && SteadyClock::now() - site.last_report >= kReportEvery) report(site, false);
    pause.expires_after(site.crawl().delay);
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (--site.workers == 0) site.workers_done.cancel();
}

asio::awaitable<void> SiteCrawler::Impl::visit(CrawlSite& site, const std::string& url) {
  KnownPage& page = site.pages.at(url);  // map nodes stay put while others are added
  const bool attachment = site.crawl().attachments && is_attachment_url(url);
  FetchRequest request = fetch_request(site.target);
  request.url = url;
  request.user_agent = site.crawl().user_agent;
  if (attachment) request.max_body = site.crawl().max_attachment;
  if (page.fetched_run > 0) {
    request.if_none_match = page.etag;
    request.if_modified_since = page.last_modified;
  }
  FetchResult fetch = co_await fetcher.fetch(std::move(request));
  if (stopping) co_return;  // an aborted fetch says nothing about the page

  ++site.done;
  page.fetched_run = site.run.run;
  if (fetch.failure == FetchFailure::body_too_large && attachment) {
    not_inspected(site, page, "larger than " + megabytes(site.crawl().max_attachment));
  } else if (fetch.failure != FetchFailure::none) {
    // The page may be there still, as it was: what it showed stands.
    page.outcome = "error: " + std::string(to_string(fetch.failure));
    ++site.errors;
  } else if (fetch.status == 304) {
    page.outcome = "304";
    ++site.not_modified;
  } else if (fetch.status == 404 || fetch.status == 410) {
    forget(site, url);
    co_return;
  } else if (fetch.status < 200 || fetch.status > 299) {
    page.outcome = "HTTP " + std::to_string(fetch.status);
    ++site.errors;
  } else if (!site.scope.allows(fetch.final_url)) {
    page.outcome = "redirected out of the crawl: " + fetch.final_url;
    set_evidence(site, page, {});
  } else {
    page.etag = fetch.etag;
    page.last_modified = fetch.last_modified;
    const AttachmentKind kind = attachment_kind(fetch.final_url, fetch.content_type);
    if (site.crawl().attachments && kind != AttachmentKind::other) {
      co_await read_attachment(site, page, url, kind, std::move(fetch.body));
      if (stopping) co_return;
    } else if (is_html(fetch.content_type)) {
      read_page(site, page, url, fetch);
    } else {
      page.outcome = "not read: " + fetch.content_type;
      set_evidence(site, page, {});
    }
  }
  write_page(site, url, page);
}

void SiteCrawler::Impl::read_page(CrawlSite& site, KnownPage& page, const std::string& url, const FetchResult& fetch) {
  const ContentDigest digest = site.analyzer.analyze(fetch.body, fetch.final_url, fetch.content_type);
  judged(site, page, url, digest, std::to_string(fetch.status));
  std::string base = fetch.final_url;
  if (!digest.base_href.empty()) base = resolve_link(fetch.final_url, digest.base_href).value_or(base);
  for (const std::string& href : digest.links) {
    if (auto link = resolve_link(base, href)) discover(site, *link, page.depth + 1);
  }
}

asio::awaitable<void> SiteCrawler::Impl::read_attachment(CrawlSite& site, KnownPage& page, const std::string& url,
                                                         AttachmentKind kind, std::string body) {
  auto extracted = co_await extract_in_child(executor, std::move(body), kind, extract_limits);
  if (stopping) co_return;
  if (!extracted) co_return not_inspected(site, page, extracted.error().message);
  if (const std::string why = not_inspected_reason(*extracted); !why.empty()) co_return not_inspected(site, page, why);
  judged(site, page, url, site.analyzer.analyze_text(extracted->text),
         extracted->truncated ? "200 (text cut at " + megabytes(extract_limits.max_text) + ")" : "200");
}

void SiteCrawler::Impl::judged(CrawlSite& site, KnownPage& page, const std::string& url, const ContentDigest& digest,
                               std::string outcome) {
  page.outcome = std::move(outcome);
  page.text_sha256 = digest.text_sha256;
  set_evidence(site, page, evidence_of(digest, url));
}

// A file that was fetched but could not be read: listed with why, and with
// no findings (what it held before is no longer known).
void SiteCrawler::Impl::not_inspected(CrawlSite& site, KnownPage& page, const std::string& why) {
  page.outcome = why.starts_with("not inspected") ? why : "not inspected: " + why;
  ++site.not_inspected;
  set_evidence(site, page, {});
}

void SiteCrawler::Impl::set_evidence(CrawlSite& site, KnownPage& page, PageEvidence evidence) {
  if (page.evidence == evidence) return;
  page.evidence = std::move(evidence);
  site.findings_changed = true;
}

void SiteCrawler::Impl::forget(CrawlSite& site, const std::string& url) {
  const auto it = site.pages.find(url);
  if (it == site.pages.end()) return;
  if (!it->second.evidence.empty()) site.findings_changed = true;
  site.pages.erase(it);
  const bool posted =
      writer.post([target = site.target.id, url](Store& store) { return forget_crawl_page(store, target, url); });
  if (!posted) spdlog::warn("target '{}': crawl: forgetting {} not written (store queue full)", site.target.id, url);
}

void SiteCrawler::Impl::write_page(const CrawlSite& site, const std::string& url, const KnownPage& page) {
  CrawlPageRow row{site.target.id,     url,
                   page.depth,         page.found_run,
                   page.fetched_run,   page.etag,
                   page.last_modified, page.text_sha256,
                   page.outcome,       page_evidence_text(page.evidence)};
  // Batched, not awaited: a row lost to a full queue or a crash costs the
  // page one more fetch after a restart, nothing else.
  const bool posted = writer.post([row = std::move(row)](Store& store) { return put_crawl_page(store, row); });
  if (!posted) spdlog::warn("target '{}': crawl: page {} not written (store queue full)", site.target.id, url);
}

void SiteCrawler::Impl::write_run(const CrawlSite& site) {
  writer.submit([row = site.run](Store& store) { return put_crawl_run(store, row); },
                [this](Result<void> written) { health.record("crawl progress", written, now_utc()); });
}

void SiteCrawler::Impl::report(CrawlSite& site, bool complete) {
  site.findings_changed = false;
  site.last_report = SteadyClock::now();
  if (!listener) return;
  CrawlReport r;
  r.target = site.target.id;
  r.at = now_utc();
  r.complete = complete;
  for (const auto& [url, page] : site.pages) {
    const PageEvidence& e = page.evidence;
    r.harmful.insert(r.harmful.end(), e.harmful_hits.begin(), e.harmful_hits.end());
    r.hidden_links.insert(r.hidden_links.end(), e.hidden_links.begin(), e.hidden_links.end());
    r.foreign_code.insert(r.foreign_code.end(), e.foreign_code.begin(), e.foreign_code.end());
    r.personal_data.insert(r.personal_data.end(), e.personal_data.begin(), e.personal_data.end());
  }
  listener(r);
}

}  // namespace netwarden
