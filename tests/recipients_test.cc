#include "daemon/core/recipients.h"

#include <gtest/gtest.h>

#include "daemon/incidents/notification_channels.h"
#include "tests/incident_test_config.h"

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

// Per-step channels: the leader reads SMS; the chain's top steps say
// "SMS only", the first step "e-mail only".
class NotificationChannelsTest : public testing::Test {
 protected:
  NotificationChannelsTest() {
    config_.people["leader"].channels = {"email", "sms", "pager"};
    config_.people["op"].channels = {"email", "pager"};
    config_.chains["standard"].steps[0].channels = {"email"};
    config_.chains["standard"].steps[2].channels = {"sms"};
    incident_.target = "portal";
  }

  std::vector<std::string> channels(const std::string& person, std::vector<NotifyReason> reasons) const {
    return notification_channels(config_, incident_, Notification{1, person, std::move(reasons), false});
  }

  Config config_ = test::incident_config();
  Incident incident_;
};

using What = NotifyReason::What;

TEST_F(NotificationChannelsTest, AStepNarrowsThePersonsOwnChannels) {
  EXPECT_EQ(channels("leader", {{What::step, 3, {}}}), (std::vector<std::string>{"sms"}));
  EXPECT_EQ(channels("op", {{What::step, 1, {}}}), (std::vector<std::string>{"email"}));
  EXPECT_EQ(channels("op", {{What::repeat, 1, {}}}), (std::vector<std::string>{"email"}));
}

TEST_F(NotificationChannelsTest, APersonWithNoneOfTheStepsChannelsGetsEmail) {
  // The office is told at step 3 too, and has no SMS.
  EXPECT_EQ(channels("office", {{What::step, 3, {}}}), (std::vector<std::string>{"email"}));
}

TEST_F(NotificationChannelsTest, WithoutStepChannelsEveryChannelOfThePersonIsUsed) {
  // Step 2 names none; the threshold and resolution are no step at all.
  EXPECT_EQ(channels("leader", {{What::step, 2, {}}}), (std::vector<std::string>{"email", "sms", "pager"}));
  EXPECT_EQ(channels("leader", {{What::threshold, 0, {}}}), (std::vector<std::string>{"email", "sms", "pager"}));
  EXPECT_EQ(channels("leader", {{What::step, 3, {}}, {What::resolved, 0, {}}}),
            (std::vector<std::string>{"email", "sms", "pager"}));
  // Two steps at once: what either names.
  config_.chains["standard"].steps[1].channels = {"pager"};
  EXPECT_EQ(channels("leader", {{What::step, 2, {}}, {What::step, 3, {}}}), (std::vector<std::string>{"sms", "pager"}));
  EXPECT_TRUE(channels("nobody", {{What::step, 1, {}}}).empty());
}

}  // namespace
}  // namespace netwarden
