#include "daemon/core/observation.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

const Time kNow = from_unix_ms(1'790'000'000'000);

CheckVerdict verdict() {
  CheckVerdict v;
  v.at = kNow;
  v.up = true;
  return v;
}

TEST(ObservationTest, DownCarriesReasonAndSaysNothingAboutContent) {
  CheckVerdict v = verdict();
  v.up = false;
  v.reason = "timeout";
  v.detail = "no response within 10s";
  Observation o = observation_from("portal", v, IncidentPolicy{});
  EXPECT_EQ(o.target, "portal");
  EXPECT_EQ(o.at, kNow);
  EXPECT_TRUE(o.down);
  EXPECT_EQ(o.reason, "timeout");
  EXPECT_EQ(o.detail, "no response within 10s");
  EXPECT_FALSE(o.content_seen);
  EXPECT_FALSE(o.tls_seen);
}

TEST(ObservationTest, ContentChangesAndHarmfulWords) {
  CheckVerdict v = verdict();
  v.content = ContentState::unchanged;
  v.structure = ContentState::changed;
  v.harmful = {"rumour"};
  Observation o = observation_from("portal", v, IncidentPolicy{});
  EXPECT_FALSE(o.down);
  EXPECT_TRUE(o.content_seen);
  EXPECT_FALSE(o.text_changed);
  EXPECT_TRUE(o.structure_changed);
  EXPECT_EQ(o.harmful, std::vector<std::string>{"rumour"});
}

TEST(ObservationTest, TlsFailureIsDownAndATlsProblem) {
  CheckVerdict v = verdict();
  v.up = false;
  v.reason = "tls";
  v.detail = "certificate has expired";
  Observation o = observation_from("portal", v, IncidentPolicy{});
  EXPECT_TRUE(o.down);
  EXPECT_TRUE(o.tls_seen);
  EXPECT_TRUE(o.tls_problem);
  EXPECT_EQ(o.tls_detail, "certificate has expired");
}

TEST(ObservationTest, CertificateExpiringWithinTheWarningDays) {
  IncidentPolicy policy;
  policy.cert_warning_days = 14;
  for (auto [days, problem] : {std::pair{13, true}, std::pair{14, false}, std::pair{90, false}}) {
    CheckVerdict v = verdict();
    v.cert_days_left = days;
    Observation o = observation_from("portal", v, policy);
    EXPECT_TRUE(o.tls_seen) << days;
    EXPECT_EQ(o.tls_problem, problem) << days;
  }
}

}  // namespace
}  // namespace netwarden
