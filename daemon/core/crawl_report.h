// What a crawl of a target's site found ([targets.ID.crawl]), as the
// incident engine is fed it, and how far a crawl has got, as people are
// shown it. Plain data.
//
// A report holds every finding of every page and attachment as last
// inspected (pages not fetched again yet keep what they showed last time),
// each finding naming its `page`. The crawler sends one whenever the
// findings change during a crawl and one when a crawl ends: `complete` says
// the whole site was seen, so a kind with no finding left is gone from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "probes/content/digest_result.h"

namespace netwarden {

// The subject of a crawl's incidents: one per target and kind, whatever
// page of the site the findings are on.
inline constexpr std::string_view kCrawlSubject = "crawl";

struct CrawlReport {
  std::string target;
  Time at;
  bool complete = false;
  std::vector<KeywordHit> harmful;  // one per keyword and page
  std::vector<PageFinding> hidden_links;
  std::vector<PageFinding> foreign_code;
  std::vector<PersonalDataFinding> personal_data;
};

struct CrawlProgress {
  bool running = false;
  // The crawl running now (when running) or the last one.
  std::optional<Time> started;
  int done = 0;    // pages and files fetched (or answered 304) so far
  int budget = 0;  // max_pages
  int queued = 0;  // URLs found and not fetched yet
  int not_modified = 0;
  int errors = 0;                     // fetches that failed
  int not_inspected = 0;              // attachments that could not be read (DOC, scanned PDF, parse errors)
  std::optional<Time> eta;            // when the running crawl should end at its pace so far
  std::optional<Time> last_complete;  // when the last complete crawl ended
  int last_complete_pages = 0;
  std::optional<Time> next;  // when the next crawl is due
};

}  // namespace netwarden
