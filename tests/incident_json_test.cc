#include "daemon/incidents/incident_json.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

Incident full_incident() {
  Incident i;
  i.id = 42;
  i.kind = IncidentKind::content_changed;
  i.target = "portal";
  i.severity = Severity::major;
  i.reason = "text";
  i.detail = "页面内容被篡改";
  i.started_at = from_unix_ms(1'790'000'000'123);
  i.detected_at = from_unix_ms(1'790'000'060'456);
  i.acknowledged_at = from_unix_ms(1'790'000'100'000);
  i.acknowledged_by = "root as zhaolei";
  i.threshold_at = from_unix_ms(1'790'010'800'123);
  i.healthy_since = from_unix_ms(1'790'011'000'000);
  i.resolved_at = std::nullopt;
  i.steps = {StepProgress{from_unix_ms(1'790'000'060'456), 2, false}, StepProgress{std::nullopt, 0, true}};
  i.warnings_sent = {std::chrono::hours(1), std::chrono::minutes(15)};
  i.notified = {"zhaolei", "chenjing"};
  i.suppressed = {"library"};
  return i;
}

void expect_same(const Incident& a, const Incident& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.detail, b.detail);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(a.detected_at, b.detected_at);
  EXPECT_EQ(a.acknowledged_at, b.acknowledged_at);
  EXPECT_EQ(a.acknowledged_by, b.acknowledged_by);
  EXPECT_EQ(a.threshold_at, b.threshold_at);
  EXPECT_EQ(a.healthy_since, b.healthy_since);
  EXPECT_EQ(a.resolved_at, b.resolved_at);
  EXPECT_EQ(a.resolved_by, b.resolved_by);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t s = 0; s < a.steps.size(); ++s) {
    EXPECT_EQ(a.steps[s].fired_at, b.steps[s].fired_at) << s;
    EXPECT_EQ(a.steps[s].repeats, b.steps[s].repeats) << s;
    EXPECT_EQ(a.steps[s].skipped, b.steps[s].skipped) << s;
  }
  EXPECT_EQ(a.warnings_sent, b.warnings_sent);
  EXPECT_EQ(a.notified, b.notified);
  EXPECT_EQ(a.suppressed, b.suppressed);
}

TEST(IncidentJsonTest, EveryFieldSurvivesTheRoundTrip) {
  const Incident original = full_incident();
  auto back = incident_from_json(incident_to_json(original));
  ASSERT_TRUE(back) << back.error().message;
  expect_same(original, *back);

  Incident resolved = original;
  resolved.resolved_at = from_unix_ms(1'790'020'000'000);
  resolved.resolved_by = "";
  resolved.acknowledged_at.reset();
  auto back2 = incident_from_json(incident_to_json(resolved));
  ASSERT_TRUE(back2) << back2.error().message;
  expect_same(resolved, *back2);
}

TEST(IncidentJsonTest, DamagedRecordsNameTheField) {
  const std::string good = incident_to_json(full_incident());
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  struct Case {
    std::string json;
    std::string error;
  };
  const Case cases[] = {
      {"not json", "stored incident is not JSON"},
      {"[1]", "stored incident is not a JSON object"},
      {replaced("\"kind\":\"content_changed\"", "\"kind\":\"defaced\""),
       "stored incident: 'kind' is not an incident kind"},
      {replaced("\"severity\":\"major\"", "\"severity\":3"), "stored incident: 'severity' must be a string"},
      {replaced("\"id\":42,", ""), "stored incident: 'id' is missing"},
      {replaced("\"repeats\":2", "\"repeats\":\"2\""), "stored incident, step 1: 'repeats' must be an integer"},
      {replaced("\"notified\":[\"zhaolei\"", "\"notified\":[7"), "stored incident: 'notified' must hold strings"},
      {replaced("\"threshold_at\":1790010800123", "\"threshold_at\":\"3h\""),
       "stored incident: 'threshold_at' must be an integer or null"},
  };
  for (const auto& c : cases) {
    auto parsed = incident_from_json(c.json);
    ASSERT_FALSE(parsed) << c.json;
    EXPECT_EQ(parsed.error().message.substr(0, c.error.size()), c.error) << parsed.error().message;
  }
}

}  // namespace
}  // namespace netwarden
