#include "daemon/core/outage_simulation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/incident_test_config.h"

namespace netwarden {
namespace {

using namespace netwarden::test;
using What = NotifyReason::What;

TEST(OutageSimulationTest, TimelineOfTheWholeChain) {
  Config c = incident_config();
  c.chains["standard"].steps[0].repeat.reset();
  auto timeline = simulate_outage(c, "portal");
  ASSERT_TRUE(timeline) << timeline.error().message;
  EXPECT_EQ(timeline->confirmed_after, 1min);
  EXPECT_EQ(timeline->threshold, 3h);

  struct Expected {
    Duration offset;
    NotifyReason reason;
    std::vector<std::string> people;
  };
  const std::vector<Expected> expected = {
      {1min, {What::step, 1}, {"op"}},
      {30min, {What::step, 2}, {"sec", "head"}},
      {2h, {What::step, 3}, {"office", "leader"}},
      {2h, {What::threshold_warning, 0, 1h}, {"op", "sec", "head", "office", "leader"}},
      {2h + 45min, {What::threshold_warning, 0, 15min}, {"op", "sec", "head", "office", "leader"}},
      {3h, {What::threshold}, {"first"}},
      {4h, {What::step, 4}, {"first"}},
  };
  ASSERT_EQ(timeline->entries.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = timeline->entries[i];
    EXPECT_EQ(e.offset, expected[i].offset) << i;
    EXPECT_EQ(e.reason, expected[i].reason) << i << ": " << e.reason.text();
    EXPECT_EQ(e.people, expected[i].people) << i;
  }
}

TEST(OutageSimulationTest, RepeatsUpToTheEndOfTheChain) {
  auto timeline = simulate_outage(incident_config(), "portal");
  ASSERT_TRUE(timeline);
  std::vector<Duration> repeats;
  for (const auto& e : timeline->entries) {
    if (e.reason.what == What::repeat) repeats.push_back(e.offset);
  }
  ASSERT_EQ(repeats.size(), 23u);  // 11m, 21m, ... 3h51m
  EXPECT_EQ(repeats.front(), 11min);
  EXPECT_EQ(repeats.back(), 3h + 51min);
}

TEST(OutageSimulationTest, ReferenceTargetShowsItsChainAndUnknownTargetIsAnError) {
  auto timeline = simulate_outage(incident_config(), "gateway");
  ASSERT_TRUE(timeline);
  ASSERT_FALSE(timeline->entries.empty());
  EXPECT_EQ(timeline->entries.back().reason, (NotifyReason{What::step, 4}));
  EXPECT_TRUE(std::any_of(timeline->entries.begin(), timeline->entries.end(), [](const TimelineEntry& e) {
    return e.reason.what == What::threshold;
  })) << "the dry run is about the chain, not the monitor's own connectivity";

  auto missing = simulate_outage(incident_config(), "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no target nowhere");
}

TEST(OutageSimulationTest, PageEvidenceKindsOpenAtOnceAndOnlyHarmfulContentStartsAtTheTop) {
  Config c = incident_config();
  c.chains["standard"].steps[0].repeat.reset();
  for (IncidentKind kind :
       {IncidentKind::hidden_link, IncidentKind::malicious_code, IncidentKind::cloaking, IncidentKind::privacy_leak}) {
    auto timeline = simulate_outage(c, "portal", kind);
    ASSERT_TRUE(timeline) << timeline.error().message;
    EXPECT_EQ(timeline->confirmed_after, 0min) << to_string(kind);
    ASSERT_FALSE(timeline->entries.empty());
    EXPECT_EQ(timeline->entries.front().offset, 0min);
    EXPECT_EQ(timeline->entries.front().reason, (NotifyReason{What::step, 1})) << to_string(kind);
    EXPECT_EQ(timeline->entries.front().people, std::vector<std::string>{"op"});
  }
  auto harmful = simulate_outage(c, "portal", IncidentKind::harmful_content);
  ASSERT_TRUE(harmful);
  EXPECT_EQ(harmful->entries.front().reason, (NotifyReason{What::harmful_content}));
  EXPECT_EQ(harmful->entries.front().people, std::vector<std::string>{"first"});

  auto content = simulate_outage(c, "portal", IncidentKind::content_changed);
  ASSERT_TRUE(content);
  EXPECT_EQ(content->confirmed_after, 1min) << "content changes need their confirmations";

  auto breach = simulate_outage(c, "portal", IncidentKind::isolation_breach);
  ASSERT_FALSE(breach);
  EXPECT_EQ(breach.error().message, "isolation_breach incidents cannot be simulated");
}

}  // namespace
}  // namespace netwarden
