// `netwardend --simulate TARGET`: the escalation an outage of the target
// would bring, as text for the administrator checking a config before
// trusting it — offsets, steps, people by name and address, the threshold.
#pragma once

#include <string>

#include "common/result.h"
#include "config/config.h"
#include "daemon/core/incident.h"

namespace netwarden {

// Errors: no such web target, a kind that cannot be simulated.
Result<std::string> simulate_text(const Config& config, const std::string& target,
                                  IncidentKind kind = IncidentKind::site_down);

}  // namespace netwarden
