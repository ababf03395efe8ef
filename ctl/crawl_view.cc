#include "ctl/crawl_view.h"

#include "ctl/field_text.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

// ", 12 not modified" when the count is not 0.
std::string count_if_any(const boost::json::object& o, std::string_view key, std::string_view what) {
  const std::int64_t n = int_field(o, key);
  return n == 0 ? "" : ", " + std::to_string(n) + " " + std::string(what);
}

bool is_set(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}

}  // namespace

std::string crawl_progress_text(const boost::json::object& crawl) {
  std::string out;
  if (field_text(crawl, "running") == "yes") {
    out = "crawling " + std::to_string(int_field(crawl, "done")) + "/" + std::to_string(int_field(crawl, "budget")) +
          " pages" + count_if_any(crawl, "not_modified", "not modified") + count_if_any(crawl, "errors", "failed") +
          count_if_any(crawl, "not_inspected", "not inspected") + ", started " + local_time_text(crawl, "started_at");
    if (is_set(crawl, "eta")) out += ", ETA " + local_time_text(crawl, "eta");
  } else if (is_set(crawl, "next_at")) {
    out = "next crawl " + local_time_text(crawl, "next_at");
  }
  const std::string last = is_set(crawl, "last_complete_at")
                               ? "last complete crawl " + local_time_text(crawl, "last_complete_at") + " (" +
                                     std::to_string(int_field(crawl, "last_complete_pages")) + " pages)"
                               : "no complete crawl yet";
  return out.empty() ? last : out + "; " + last;
}

Result<std::string> crawl_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  if (o == nullptr || !o->contains("started")) return fail("the daemon's answer does not say whether a crawl started");
  const std::string target = field_text(*o, "target");
  const std::string progress = crawl_progress_text(object_or_empty(*o, "crawl"));
  if (field_text(*o, "started") == "yes") return "crawl of " + target + " started; " + progress + "\n";
  return "a crawl of " + target + " is running already: " + progress + "\n";
}

}  // namespace netwarden
