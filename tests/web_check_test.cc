#include "daemon/core/web_check.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

const Time kNow = from_unix_ms(1'790'000'000'000);

WebTarget target() {
  WebTarget t;
  t.id = "portal";
  t.url = "https://www.example.edu.cn/";
  return t;
}

FetchResult ok_fetch(int status = 200) {
  FetchResult f;
  f.status = status;
  f.resolved_addresses = {"192.0.2.10"};
  f.timings.total = std::chrono::microseconds(12'000);
  return f;
}

ContentDigest digest(std::string text_sha, std::string structure_sha) {
  ContentDigest d;
  d.text_sha256 = std::move(text_sha);
  d.structure_sha256 = std::move(structure_sha);
  return d;
}

TEST(WebCheckTest, UpWithExpectedStatus) {
  auto d = digest("t1", "s1");
  BaselineFingerprints base{"t1", "s1"};
  auto v = judge_check(target(), ok_fetch(), &d, {}, &base, kNow);
  EXPECT_TRUE(v.up);
  EXPECT_EQ(v.reason, "");
  EXPECT_EQ(v.content, ContentState::unchanged);
  EXPECT_EQ(v.structure, ContentState::unchanged);
  EXPECT_EQ(v.latency, std::chrono::microseconds(12'000));
  EXPECT_EQ(v.at, kNow);
}

TEST(WebCheckTest, FetchFailureIsDownWithItsReason) {
  FetchResult f;
  f.failure = FetchFailure::timeout;
  f.detail = "no response within 10s";
  auto v = judge_check(target(), f, nullptr, {}, nullptr, kNow);
  EXPECT_FALSE(v.up);
  EXPECT_EQ(v.reason, "timeout");
  EXPECT_EQ(v.detail, "no response within 10s");
  EXPECT_EQ(v.content, ContentState::unknown);
}

TEST(WebCheckTest, UnexpectedStatusIsDown) {
  auto v = judge_check(target(), ok_fetch(500), nullptr, {}, nullptr, kNow);
  EXPECT_FALSE(v.up);
  EXPECT_EQ(v.reason, "http_status");
  EXPECT_EQ(v.status, 500);
}

TEST(WebCheckTest, ConfiguredStatusRangesAreHonoured) {
  WebTarget t = target();
  t.expect_status = {StatusRange{404, 404}};
  EXPECT_TRUE(status_expected(t, 404));
  EXPECT_FALSE(status_expected(t, 200));
  EXPECT_TRUE(judge_check(t, ok_fetch(404), nullptr, {}, nullptr, kNow).up);
}

TEST(WebCheckTest, FirstDigestBecomesBaseline) {
  auto d = digest("t1", "s1");
  auto v = judge_check(target(), ok_fetch(), &d, {}, nullptr, kNow);
  EXPECT_TRUE(v.up);
  EXPECT_EQ(v.content, ContentState::baseline_set);
  EXPECT_EQ(v.structure, ContentState::baseline_set);
}

TEST(WebCheckTest, TextAndStructureChangesAreSeparate) {
  BaselineFingerprints base{"t1", "s1"};
  auto text_only = digest("t2", "s1");
  auto v = judge_check(target(), ok_fetch(), &text_only, {}, &base, kNow);
  EXPECT_EQ(v.content, ContentState::changed);
  EXPECT_EQ(v.structure, ContentState::unchanged);

  auto structure_only = digest("t1", "s2");
  v = judge_check(target(), ok_fetch(), &structure_only, {}, &base, kNow);
  EXPECT_EQ(v.content, ContentState::unchanged);
  EXPECT_EQ(v.structure, ContentState::changed);
  EXPECT_TRUE(v.up) << "a content change is reported, not counted as down";
}

TEST(WebCheckTest, MissingRequiredKeywordIsAContentRuleFailure) {
  auto d = digest("t1", "s1");
  d.required_missing = {"某某大学"};
  auto v = judge_check(target(), ok_fetch(), &d, {}, nullptr, kNow);
  EXPECT_FALSE(v.up);
  EXPECT_EQ(v.reason, "content_rule");
  EXPECT_NE(v.detail.find("某某大学"), std::string::npos);
}

TEST(WebCheckTest, HarmfulKeywordsAreReported) {
  auto d = digest("t1", "s1");
  d.harmful_found = {"赌博"};
  auto v = judge_check(target(), ok_fetch(), &d, {}, nullptr, kNow);
  EXPECT_EQ(v.harmful, std::vector<std::string>{"赌博"});
}

TEST(WebCheckTest, PageFindingsAndTheDigestsBlindSpotReachTheVerdict) {
  auto d = digest("t1", "s1");
  d.harmful_found = {"博彩"};
  d.harmful_hits = {KeywordHit{"博彩", "gambling", "critical", "img alt", "澳门博彩", 1}};
  d.hidden_links = {{"http://bet.example/", "font-size:0"}};
  d.foreign_code = {{"inline script 2", "eval( of a 4 KB string"}};
  d.blind_spot = "charset_undecodable: x-foo";
  BaselineFingerprints base{"t1", "s1", 0};
  auto v = judge_check(target(), ok_fetch(), &d, {}, &base, kNow);
  EXPECT_TRUE(v.up);
  ASSERT_EQ(v.harmful_hits.size(), 1u);
  EXPECT_EQ(v.harmful_hits[0].category, "gambling");
  ASSERT_EQ(v.hidden_links.size(), 1u);
  EXPECT_EQ(v.hidden_links[0].why, "font-size:0");
  ASSERT_EQ(v.foreign_code.size(), 1u);
  EXPECT_EQ(v.blind_spot, "charset_undecodable: x-foo");
}

TEST(WebCheckTest, TextShrunkBelowATenthOfTheBaselineIsABlindSpot) {
  auto d = digest("t2", "s1");
  d.text = std::string(99, 'x');
  BaselineFingerprints base{"t1", "s1", 1000};
  EXPECT_EQ(judge_check(target(), ok_fetch(), &d, {}, &base, kNow).blind_spot,
            "text_shrunk: 99 of 1000 bytes of the baseline's text");
  d.text = std::string(100, 'x');
  EXPECT_EQ(judge_check(target(), ok_fetch(), &d, {}, &base, kNow).blind_spot, "");
  BaselineFingerprints unknown_length{"t1", "s1", 0};
  d.text.clear();
  EXPECT_EQ(judge_check(target(), ok_fetch(), &d, {}, &unknown_length, kNow).blind_spot, "");

  // An unchanged body reuses the remembered digest, whose text is gone: its
  // length is remembered beside it.
  CheckMemory memory;
  memory.digest = digest("t2", "s1");
  memory.text_length = 50;
  EXPECT_EQ(judge_check(target(), ok_fetch(), &*memory.digest, memory, &base, kNow).blind_spot,
            "text_shrunk: 50 of 1000 bytes of the baseline's text");
  memory.text_length = 500;
  EXPECT_EQ(judge_check(target(), ok_fetch(), &*memory.digest, memory, &base, kNow).blind_spot, "");
}

TEST(WebCheckTest, DnsAndCertificateChangesAreFlaggedOnlyAgainstAPreviousValue) {
  FetchResult f = ok_fetch();
  f.tls.cert_sha256 = "bbbb";
  CheckMemory none;
  auto v = judge_check(target(), f, nullptr, none, nullptr, kNow);
  EXPECT_FALSE(v.dns_changed);
  EXPECT_FALSE(v.cert_changed);

  CheckMemory before;
  before.resolved_addresses = {"192.0.2.99"};
  before.cert_sha256 = "aaaa";
  v = judge_check(target(), f, nullptr, before, nullptr, kNow);
  EXPECT_TRUE(v.dns_changed);
  EXPECT_TRUE(v.cert_changed);

  before.resolved_addresses = f.resolved_addresses;
  before.cert_sha256 = "bbbb";
  v = judge_check(target(), f, nullptr, before, nullptr, kNow);
  EXPECT_FALSE(v.dns_changed);
  EXPECT_FALSE(v.cert_changed);
}

TEST(WebCheckTest, CertificateDaysLeftCountsWholeDays) {
  FetchResult f = ok_fetch();
  f.tls.cert_not_after = kNow + std::chrono::hours(24 * 30 + 5);
  EXPECT_EQ(judge_check(target(), f, nullptr, {}, nullptr, kNow).cert_days_left, 30);
  f.tls.cert_not_after = kNow - std::chrono::hours(1);
  EXPECT_EQ(judge_check(target(), f, nullptr, {}, nullptr, kNow).cert_days_left, -1);
}

}  // namespace
}  // namespace netwarden
