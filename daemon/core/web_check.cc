#include "daemon/core/web_check.h"

#include <algorithm>

namespace netwarden {

std::string_view to_string(ContentState state) {
  switch (state) {
    case ContentState::unknown: return "unknown";
    case ContentState::baseline_set: return "baseline_set";
    case ContentState::unchanged: return "unchanged";
    case ContentState::changed: return "changed";
  }
  return "unknown";
}

bool status_expected(const WebTarget& target, int status) {
  return std::any_of(target.expect_status.begin(), target.expect_status.end(),
                     [status](const StatusRange& r) { return status >= r.low && status <= r.high; });
}

std::string comma_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

namespace {

ContentState compare(const std::string& now, const std::string* approved) {
  if (approved == nullptr) return ContentState::baseline_set;
  return now == *approved ? ContentState::unchanged : ContentState::changed;
}

// Only a change between two observed values counts: the first check has
// nothing to compare with.
template <class T>
bool changed_since(const T& before, const T& after) {
  return !before.empty() && !after.empty() && before != after;
}

}  // namespace

CheckVerdict judge_check(const WebTarget& target, const FetchResult& fetch, const ContentDigest* digest,
                         const CheckMemory& previous, const BaselineFingerprints* baseline, Time now) {
  CheckVerdict v;
  v.at = now;
  v.status = fetch.status;
  v.latency = fetch.timings.total;
  v.dns_changed = changed_since(previous.resolved_addresses, fetch.resolved_addresses);
  v.cert_changed = changed_since(previous.cert_sha256, fetch.tls.cert_sha256);
  if (fetch.tls.cert_not_after) {
    v.cert_days_left = static_cast<int>(std::chrono::floor<std::chrono::days>(*fetch.tls.cert_not_after - now).count());
  }

  if (fetch.failure != FetchFailure::none) {
    v.reason = std::string(to_string(fetch.failure));
    v.detail = fetch.detail;
    return v;
  }
  if (!status_expected(target, fetch.status)) {
    v.reason = "http_status";
    v.detail = "HTTP status " + std::to_string(fetch.status) + " is not an expected status";
    return v;
  }
  if (digest != nullptr) {
    v.content = compare(digest->text_sha256, baseline ? &baseline->text_sha256 : nullptr);
    v.structure = compare(digest->structure_sha256, baseline ? &baseline->structure_sha256 : nullptr);
    v.harmful = digest->harmful_found;
    v.harmful_hits = digest->harmful_hits;
    v.hidden_links = digest->hidden_links;
    v.foreign_code = digest->foreign_code;
    v.personal_data = digest->personal_data;
    v.blind_spot = digest->blind_spot;
    const bool remembered = previous.digest && digest == &*previous.digest;
    const std::size_t length = remembered ? previous.text_length : digest->text.size();
    if (v.blind_spot.empty() && baseline && baseline->text_length > 0 &&
        length * 100 < baseline->text_length * kShrunkPercent) {
      v.blind_spot = "text_shrunk: " + std::to_string(length) + " of " + std::to_string(baseline->text_length) +
                     " bytes of the baseline's text";
    }
    v.required_missing = digest->required_missing;
    if (!v.required_missing.empty()) {
      v.reason = "content_rule";
      v.detail = "required keywords missing: " + comma_list(v.required_missing);
      return v;
    }
  }
  v.up = true;
  return v;
}

}  // namespace netwarden
