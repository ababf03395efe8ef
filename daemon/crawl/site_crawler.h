// SiteCrawler: the whole-site inspection of the targets that have a
// [targets.ID.crawl] table, on the io thread.
//
// A crawl starts from the target URL and the pages of its sitemap.xml
// (depth 0) and from every page an earlier crawl knows (at the depth it was
// found at), fetches each in scope (crawl_scope.h) once, breadth first, up
// to max_pages, and follows the links of every HTML page up to max_depth.
// A page fetched before is asked for conditionally (If-None-Match /
// If-Modified-Since), so an unchanged one is a 304 and keeps what it showed.
// Each HTML page is analysed by the target's own ContentAnalyzer (harmful
// keywords, hidden links, foreign code, personal data); each attachment
// (probes/attachments) has its text read in a sandboxed child and analysed
// the same way. A page that answers 404 or 410 is forgotten with its
// findings.
//
// The target's per_host_concurrency workers share the crawl's
// frontier, each pausing `delay` between two requests: a crawl never has
// more requests in flight to the site than that, whatever its hosts.
//
// Every page's row (validators, text fingerprint, outcome, findings) is
// written through the StoreWriter as soon as it is fetched, and every link
// found as soon as it is found, so a crawl cut short by a restart goes on
// where it was. The findings of all pages together go to the report
// listener (the incident keeper) when they change, at most every 10 s, and
// at the crawl's end with `complete` set. The next crawl starts `every`
// after this one started (at once for a target never crawled, within 10 s
// of start-up).
//
// Thread-safety: single-threaded; everything runs on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/core/crawl_report.h"
#include "daemon/store/crawl_pages.h"
#include "probes/attachments/extract_sandbox.h"
#include "probes/content/content_digest.h"

namespace netwarden {

class StoreWriter;
class WriteHealth;
struct CrawlSite;

class SiteCrawler {
 public:
  SiteCrawler(boost::asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health,
              ExtractLimits extract_limits = {});
  ~SiteCrawler();
  SiteCrawler(const SiteCrawler&) = delete;
  SiteCrawler& operator=(const SiteCrawler&) = delete;

  // A target with a crawl table, its analyzer (the web monitor's) and what
  // the store keeps of its crawls. Errors: its include / exclude patterns
  // do not compile.
  Result<void> add_target(const WebTarget& target, ContentAnalyzer analyzer, CrawlSaved saved);

  using ReportListener = std::function<void(const CrawlReport&)>;
  void on_report(ReportListener listener);

  // Starts each target's schedule: an unfinished crawl resumes at once.
  void start();
  // Aborts every crawl in flight; what was fetched is kept, and the crawl
  // resumes at the next start.
  void stop();

  // Starts a crawl of `target` now. true: started; false: one is running
  // already. Errors: no such target, or it has no crawl table.
  Result<bool> crawl_now(const std::string& target);

  // How far the target's crawl has got; none for a target without a crawl.
  std::optional<CrawlProgress> progress(const std::string& target) const;
  // The ids of the crawled targets, in the order added.
  std::vector<std::string> targets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden
