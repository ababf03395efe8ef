#include "daemon/core/recipients.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

Config roles_config() {
  Config c;
  c.units["cs"] = Unit{"cs", "CS", {"dean", "vice"}, {"sec"}, {"op1", "vice"}, {}};
  c.institution = InstitutionRoles{{"office1", "office2"}, {"leader"}, {"first"}, {"upper"}, {}};
  return c;
}

struct RecipientsCase {
  const char* name;
  std::string unit;
  std::vector<std::string> roles;
  std::vector<std::string> people;
  std::vector<std::string> expected;
};

class RecipientsTest : public testing::TestWithParam<RecipientsCase> {};

TEST_P(RecipientsTest, ResolvesRolesThenPeopleDistinctInOrder) {
  ChainStep step;
  step.roles = GetParam().roles;
  step.people = GetParam().people;
  EXPECT_EQ(step_recipients(roles_config(), GetParam().unit, step), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    RecipientsTest, RecipientsTest,
    testing::Values(
        RecipientsCase{"UnitRoles", "cs", {"operator", "security_officer", "head"}, {}, {"op1", "vice", "sec", "dean"}},
        RecipientsCase{"InstitutionRoles",
                       "cs",
                       {"upper_authority", "first_responsible", "leader_in_charge", "office"},
                       {},
                       {"upper", "first", "leader", "office1", "office2"}},
        RecipientsCase{
            "PeopleAfterRolesWithoutDuplicates", "cs", {"head"}, {"extra", "dean", "extra"}, {"dean", "vice", "extra"}},
        RecipientsCase{
            "UnknownUnitStillReachesTheInstitution", "gone", {"head", "office"}, {}, {"office1", "office2"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace netwarden
