// The stored form of an incident (the store's incidents.state_json): every
// field the engine needs to carry on after a restart, with exact
// millisecond times, so reloading gives back the same Incident.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "daemon/core/incident.h"

namespace netwarden {

std::string incident_to_json(const Incident& incident);
// Errors name the field that is missing or of the wrong type.
Result<Incident> incident_from_json(std::string_view json);

}  // namespace netwarden
