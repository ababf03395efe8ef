#include "daemon/control/peer_log_limit.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

using namespace std::chrono_literals;

TEST(PeerLogLimitTest, OncePerUidPerInterval) {
  PeerLogLimit limit(60s);
  const auto t0 = PeerLogLimit::Clock::time_point{} + 1h;
  EXPECT_TRUE(limit.allow(1000, t0));
  EXPECT_FALSE(limit.allow(1000, t0 + 1s));
  EXPECT_TRUE(limit.allow(1001, t0 + 1s));  // another uid has its own minute
  EXPECT_FALSE(limit.allow(1000, t0 + 59s));
  EXPECT_TRUE(limit.allow(1000, t0 + 60s));
  EXPECT_FALSE(limit.allow(1000, t0 + 119s));  // the minute starts again from the last let through
  EXPECT_TRUE(limit.allow(1000, t0 + 120s));
}

TEST(PeerLogLimitTest, ManyUidsEachKeepTheirOwnInterval) {
  PeerLogLimit limit(60s);
  const auto t0 = PeerLogLimit::Clock::time_point{} + 1h;
  for (uid_t uid = 0; uid < 5000; ++uid) EXPECT_TRUE(limit.allow(uid, t0));
  EXPECT_FALSE(limit.allow(7, t0 + 30s));  // still remembered within its minute
  EXPECT_TRUE(limit.allow(7, t0 + 61s));
  EXPECT_TRUE(limit.allow(9, t0 + 61s));
}

}  // namespace
}  // namespace netwarden
