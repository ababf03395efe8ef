// Bringing one open incident's escalation up to the time of a call: chain
// steps (each once, skip_if_acknowledged), repeats until acknowledged,
// warnings before the threshold, and the threshold itself.
//
// Pure. What fired is recorded in the incident (StepProgress, warnings_sent,
// threshold_at), so calling it again at the same or a later time never
// repeats anything, in this process or after a restart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/core/decision_builder.h"
#include "daemon/core/incident.h"

namespace netwarden {

struct EscalationContext {
  const Config& config;
  const std::string& unit;                // the target's owning unit, for unit roles
  const std::vector<ChainStep>& steps;    // the target's chain; the last step is the top
  std::optional<Duration> threshold;      // null: the kind has no threshold
  const std::vector<Duration>& warnings;  // how long before the line to warn
  Time resumed_at;                        // what fell due before it is late
};

void escalate(Incident& incident, const EscalationContext& context, DecisionBuilder& out);

}  // namespace netwarden
