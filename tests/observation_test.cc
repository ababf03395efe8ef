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

TEST(ObservationTest, PageFindingsAndBlindSpotsAreCarriedOver) {
  CheckVerdict v = verdict();
  v.content = ContentState::unchanged;
  v.hidden_links = {{"http://bet.example/", "display:none, text \"澳门博彩\""}};
  v.foreign_code = {{"http://evil.example/x.js", "host evil.example not allowed"}};
  v.harmful_hits = {KeywordHit{"博彩", "gambling", "", "text", "澳门博彩", 1}};
  v.blind_spot = "region_empty: //div";
  Observation o = observation_from("portal", v, IncidentPolicy{});
  EXPECT_EQ(o.hidden_links.size(), 1u);
  EXPECT_EQ(o.foreign_code.size(), 1u);
  EXPECT_EQ(o.harmful_hits.size(), 1u);
  EXPECT_EQ(o.blind_spot, "region_empty: //div");
  EXPECT_FALSE(o.cloaking_seen) << "a plain check fetched no variants";
}

TEST(ObservationTest, AFindingCarriesAKeywordWhenItsWordsHoldOne) {
  const std::vector<PageFinding> links = {{"http://bet.example/", "display:none, text \"澳门博彩\""}};
  EXPECT_TRUE(carries_keyword(links, {"博彩"}));
  EXPECT_FALSE(carries_keyword(links, {"赌场"}));
  EXPECT_FALSE(carries_keyword(links, {""}));
  EXPECT_TRUE(carries_keyword({{"http://bet365.example/", "1px iframe"}}, {"bet365"}));
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
