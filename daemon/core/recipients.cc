#include "daemon/core/recipients.h"

#include <algorithm>

namespace netwarden {

namespace {

const std::vector<std::string>* role_members(const Config& config, const Unit* unit, const std::string& role) {
  const InstitutionRoles& inst = config.institution;
  if (role == "office") return &inst.office;
  if (role == "leader_in_charge") return &inst.leader_in_charge;
  if (role == "first_responsible") return &inst.first_responsible;
  if (role == "upper_authority") return &inst.upper_authority;
  if (unit == nullptr) return nullptr;
  if (role == "operator") return &unit->operators;
  if (role == "security_officer") return &unit->security_officer;
  if (role == "head") return &unit->head;
  return nullptr;
}

}  // namespace

void add_distinct(std::vector<std::string>& into, const std::vector<std::string>& more) {
  for (const auto& id : more) {
    if (std::find(into.begin(), into.end(), id) == into.end()) into.push_back(id);
  }
}

std::vector<std::string> step_recipients(const Config& config, const std::string& unit, const ChainStep& step) {
  auto found = config.units.find(unit);
  const Unit* owner = found == config.units.end() ? nullptr : &found->second;
  std::vector<std::string> out;
  for (const auto& role : step.roles) {
    if (const auto* members = role_members(config, owner, role)) add_distinct(out, *members);
  }
  add_distinct(out, step.people);
  return out;
}

}  // namespace netwarden
