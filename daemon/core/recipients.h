// Who a chain step notifies.
//
// Unit roles (operator, security_officer, head) resolve through the unit
// that owns the target; the institution roles (office, leader_in_charge,
// first_responsible, upper_authority) through Config::institution; `people`
// name persons directly. Pure; the Config is trusted to be validated, so an
// unknown unit or role simply contributes nobody.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace netwarden {

// Distinct person ids in a stable order: roles in the order the step lists
// them (each role's people in config order), then the step's people; a
// person named twice appears at the first place.
std::vector<std::string> step_recipients(const Config& config, const std::string& unit, const ChainStep& step);

// Appends the ids in `more` that `into` does not hold yet, keeping order.
void add_distinct(std::vector<std::string>& into, const std::vector<std::string>& more);

}  // namespace netwarden
