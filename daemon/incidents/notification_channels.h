// Which channels one notification goes out on to its person: the person's
// own ("email", webhooks, SMS), narrowed to those that the chain steps it
// is sent for name in their `channels`. Only when every reason of the
// notification is a step (or a step's repeat) with `channels` set: the
// threshold, harmful content and resolution reach a person on all of theirs.
// A person who has none of the steps' channels gets e-mail, so no step
// leaves anyone untold. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"

namespace netwarden {

// In the person's order; empty only when the person is unknown.
std::vector<std::string> notification_channels(const Config& config, const Incident& incident,
                                               const Notification& notification);

}  // namespace netwarden
