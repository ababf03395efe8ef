// The rules the engine applies, as the [incidents] config section sets them.
//
// The struct itself lives in config/config.h (IncidentSettings: confirm
// failures, recovery window, certificate warning days, warnings before the
// threshold, default severities) so that config/ does not depend on the
// core; this header names it for the engine and adds the per-kind rules that
// are not settings.
#pragma once

#include <optional>

#include "config/config.h"
#include "daemon/core/incident.h"

namespace netwarden {

using IncidentPolicy = IncidentSettings;

// The grade an incident opens with: the kind's default or, when higher, the
// grade its evidence carries (a keyword category's severity), then one
// higher on a critical target.
Severity opening_severity(const IncidentPolicy& policy, IncidentKind kind, bool critical_target,
                          std::optional<Severity> evidence = std::nullopt);

// The kinds a page itself proves: harmful content, hidden links, foreign
// code, cloaking. A page does not flap into them by a network error, so one
// check is enough; they go to the top of the chain when the evidence holds
// a harmful keyword, and close only when the page is clean again.
bool is_page_evidence_kind(IncidentKind kind);

// Failing observations in a row before an incident of this kind opens.
// Evidence kinds (page evidence, an isolation breach) open at once.
int confirmations_needed(const IncidentPolicy& policy, IncidentKind kind);

// Whether the outage threshold applies. It is about a site paralysed or
// defaced; a certificate that expires in ten days or the monitor's own
// connectivity is not that.
bool has_threshold(IncidentKind kind);

// Whether `resolve ID` may close it by hand; content kinds close by approval
// or by the content going away (an allowed host belongs in allowed_hosts).
bool manually_resolvable(IncidentKind kind);

}  // namespace netwarden
