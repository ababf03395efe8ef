// The rules the engine applies, as the [incidents] config section sets them.
//
// The struct itself lives in config/config.h (IncidentSettings: confirm
// failures, recovery window, certificate warning days, warnings before the
// threshold, default severities) so that config/ does not depend on the
// core; this header names it for the engine and adds the per-kind rules that
// are not settings.
#pragma once

#include "config/config.h"
#include "daemon/core/incident.h"

namespace netwarden {

using IncidentPolicy = IncidentSettings;

// The grade an incident opens with: the kind's default, one higher on a
// critical target.
Severity opening_severity(const IncidentPolicy& policy, IncidentKind kind, bool critical_target);

// Failing observations in a row before an incident of this kind opens.
// Evidence kinds (harmful content, an isolation breach) open at once.
int confirmations_needed(const IncidentPolicy& policy, IncidentKind kind);

// Whether the outage threshold applies. It is about a site paralysed or
// defaced; a certificate that expires in ten days or the monitor's own
// connectivity is not that.
bool has_threshold(IncidentKind kind);

// Whether `resolve ID` may close it by hand; content kinds close by approval
// or by the content going away.
bool manually_resolvable(IncidentKind kind);

}  // namespace netwarden
