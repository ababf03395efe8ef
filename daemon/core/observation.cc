#include "daemon/core/observation.h"

#include <algorithm>

namespace netwarden {

bool carries_keyword(const std::vector<PageFinding>& findings, const std::vector<std::string>& keywords) {
  return std::any_of(findings.begin(), findings.end(), [&](const PageFinding& f) {
    return !f.keywords.empty() || std::any_of(keywords.begin(), keywords.end(), [&](const std::string& k) {
      return !k.empty() && (f.what.find(k) != std::string::npos || f.why.find(k) != std::string::npos);
    });
  });
}

Observation observation_from(const std::string& target, const CheckVerdict& verdict, const IncidentPolicy& policy) {
  Observation o;
  o.at = verdict.at;
  o.target = target;
  o.down = !verdict.up;
  o.reason = verdict.reason;
  o.detail = verdict.detail;

  o.content_seen = verdict.content != ContentState::unknown;
  o.text_changed = verdict.content == ContentState::changed;
  o.structure_changed = verdict.structure == ContentState::changed;
  o.harmful = verdict.harmful;
  o.harmful_hits = verdict.harmful_hits;
  o.hidden_links = verdict.hidden_links;
  o.foreign_code = verdict.foreign_code;
  o.personal_data = verdict.personal_data;
  o.blind_spot = verdict.blind_spot;
  o.cloaking_seen = verdict.cloaking_checked;
  o.cloaking_variant = verdict.cloaking_variant;
  o.cloaking_difference = verdict.cloaking_difference;
  o.cloaking_keyword = verdict.cloaking_keyword;

  if (verdict.reason == to_string(FetchFailure::tls)) {
    o.tls_seen = true;
    o.tls_problem = true;
    o.tls_detail = verdict.detail;
  } else if (verdict.cert_days_left) {
    o.tls_seen = true;
    o.tls_problem = *verdict.cert_days_left < policy.cert_warning_days;
    if (o.tls_problem) o.tls_detail = "certificate expires in " + std::to_string(*verdict.cert_days_left) + " days";
  }
  return o;
}

Observation observation_from(const CrawlReport& report) {
  Observation o;
  o.at = report.at;
  o.target = report.target;
  o.subject = kCrawlSubject;
  o.content_seen = true;
  for (const KeywordHit& hit : report.harmful) o.harmful.push_back(hit.keyword);
  std::ranges::sort(o.harmful);
  o.harmful.erase(std::unique(o.harmful.begin(), o.harmful.end()), o.harmful.end());
  o.harmful_hits = report.harmful;
  o.hidden_links = report.hidden_links;
  o.foreign_code = report.foreign_code;
  o.personal_data = report.personal_data;
  return o;
}

}  // namespace netwarden
