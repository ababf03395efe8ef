#include "daemon/core/incident_policy.h"

#include <algorithm>

namespace netwarden {

Severity opening_severity(const IncidentPolicy& policy, IncidentKind kind, bool critical_target,
                          std::optional<Severity> evidence) {
  const SeverityDefaults& d = policy.severity;
  Severity base = Severity::general;
  switch (kind) {
    case IncidentKind::site_down: base = d.site_down; break;
    case IncidentKind::content_changed: base = d.content_changed; break;
    case IncidentKind::harmful_content: base = d.harmful_content; break;
    case IncidentKind::tls_problem: base = d.tls_problem; break;
    case IncidentKind::isolation_breach: base = d.isolation_breach; break;
    case IncidentKind::monitor_degraded: base = d.monitor_degraded; break;
    case IncidentKind::hidden_link: base = d.hidden_link; break;
    case IncidentKind::malicious_code: base = d.malicious_code; break;
    case IncidentKind::cloaking: base = d.cloaking; break;
    case IncidentKind::privacy_leak: base = d.privacy_leak; break;
  }
  if (evidence) base = std::max(base, *evidence);
  return raised(base, critical_target ? 1 : 0);
}

bool is_page_evidence_kind(IncidentKind kind) {
  return kind == IncidentKind::harmful_content || kind == IncidentKind::hidden_link ||
         kind == IncidentKind::malicious_code || kind == IncidentKind::cloaking || kind == IncidentKind::privacy_leak;
}

int confirmations_needed(const IncidentPolicy& policy, IncidentKind kind) {
  if (is_page_evidence_kind(kind) || kind == IncidentKind::isolation_breach) return 1;
  return policy.confirm_failures;
}

bool has_threshold(IncidentKind kind) {
  return kind != IncidentKind::tls_problem && kind != IncidentKind::monitor_degraded;
}

bool manually_resolvable(IncidentKind kind) {
  return kind != IncidentKind::content_changed && !is_page_evidence_kind(kind);
}

}  // namespace netwarden
