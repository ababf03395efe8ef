// What the store keeps of a target's whole-site crawl: the current (or
// last) crawl and every page and file it knows. Every known page is fetched
// again by each crawl (conditionally, so an unchanged one costs a 304), so
// a page stays known until it is gone; a crawl cut short by a restart
// resumes from here: known pages not yet fetched by the current crawl are
// its frontier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class Store;

struct CrawlRunRow {
  std::string target;
  std::int64_t run = 0;  // crawls of the target so far, this one included
  Time started_at;
  std::optional<Time> finished_at;       // none while it runs
  std::optional<Time> last_complete_at;  // when the last complete crawl ended
  std::int64_t last_complete_pages = 0;
};

struct CrawlPageRow {
  std::string target;
  std::string url;
  std::int64_t depth = 0;        // links from a start page
  std::int64_t found_run = 0;    // the crawl that last found a link to it
  std::int64_t fetched_run = 0;  // the crawl that last fetched it; 0: never
  std::string etag;              // the validators of its last 200 answer
  std::string last_modified;
  std::string text_sha256;  // of its text as last read: a change is recorded
  // "200", "304", "error: timeout", "not inspected: scanned PDF (no text layer)" ...
  std::string outcome;
  std::string evidence;  // JSON (page_evidence_json.h); "{}" when clean
};

struct CrawlSaved {
  std::optional<CrawlRunRow> run;
  std::vector<CrawlPageRow> pages;  // by depth, then URL
};

Result<void> put_crawl_run(Store& store, const CrawlRunRow& row);
Result<void> put_crawl_page(Store& store, const CrawlPageRow& row);
// A page the site says is gone (404, 410) or the crawl may no longer fetch
// (its include / exclude patterns changed).
Result<void> forget_crawl_page(Store& store, const std::string& target, const std::string& url);
Result<CrawlSaved> load_crawl(Store& store, const std::string& target);

}  // namespace netwarden
