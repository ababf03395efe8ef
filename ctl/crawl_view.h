// How a target's crawl ([targets.ID.crawl]) is shown: in `status`, in the
// notes of `targets`, and as the answer to `crawl`.
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace netwarden {

// "crawling 120/2000 pages, 80 not modified, started …, ETA …; last
// complete crawl … (512 pages)" from the daemon's crawl object.
std::string crawl_progress_text(const boost::json::object& crawl);

}  // namespace netwarden
