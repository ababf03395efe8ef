#include "daemon/notifier/outbox/pace.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

using namespace std::chrono_literals;

TEST(Pace, AllowsTheLimitPerSlidingWindow) {
  const Time t0 = from_unix_ms(1'000'000);
  Pace pace(3, 2s);
  for (Duration at : {0ms, 100ms, 1500ms}) {
    ASSERT_TRUE(pace.allows(t0 + at));
    pace.count(t0 + at);
  }
  EXPECT_FALSE(pace.allows(t0 + 1600ms));
  // The first send leaves the window at 2 s, the second at 2.1 s.
  EXPECT_EQ(pace.frees_at(t0 + 1600ms), t0 + 2s);
  EXPECT_FALSE(pace.allows(t0 + 1999ms));
  EXPECT_TRUE(pace.allows(t0 + 2s));
  pace.count(t0 + 2s);
  EXPECT_EQ(pace.frees_at(t0 + 2s), t0 + 2100ms);
  EXPECT_EQ(pace.frees_at(t0 + 5s), t0 + 5s);
}

}  // namespace
}  // namespace netwarden
