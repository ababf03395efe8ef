#include "daemon/core/observation.h"

namespace netwarden {

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

}  // namespace netwarden
