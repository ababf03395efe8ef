// A dry run of a target's escalation: what an outage (or another kind of
// incident) that starts now and never ends would bring, and when
// (`netwardend --simulate TARGET [--kind KIND]`).
//
// It drives the real IncidentEngine with a virtual clock: the target fails
// every check from offset 0, so the timeline shows the confirmation delay
// too. The page-evidence kinds are simulated with evidence that holds no
// harmful keyword (harmful_content itself excepted), so they show the chain
// from its first step. Repeats are shown up to the later of the threshold line and the last
// step. Pure.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"

namespace netwarden {

struct TimelineEntry {
  Duration offset{0};               // from the first failing check
  NotifyReason reason;              // which step, repeat, warning or the threshold
  std::vector<std::string> people;  // person ids, in the order the chain names them
};

struct OutageTimeline {
  Duration confirmed_after{0};         // when the incident opens
  Duration threshold{0};               // the line
  std::vector<TimelineEntry> entries;  // by offset, then in the order the engine decided them
};

// The kinds a web target can be simulated with.
bool simulatable(IncidentKind kind);

// Errors: no such web target, a kind simulatable() refuses.
Result<OutageTimeline> simulate_outage(const Config& config, const std::string& target,
                                       IncidentKind kind = IncidentKind::site_down);

}  // namespace netwarden
