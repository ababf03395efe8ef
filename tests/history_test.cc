// The hourly history the probe samples are rolled up into before they are
// pruned (daemon/store/history.h), on a real SQLite file.
#include "daemon/store/history.h"

#include <gtest/gtest.h>

#include "daemon/store/store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

// On the hour (UTC): 2027-01-15 08:00.
Time at(Duration offset) { return from_unix_ms(1'800'000'000'000) + offset; }

class HistoryTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::open(dir_.file("netwarden.db"));
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // A check of `target` every minute over [from, to), down over [down_from, down_to).
  void checks(const std::string& target, Duration from, Duration to, Duration down_from = 0s, Duration down_to = 0s,
              std::int64_t latency_us = 1000) {
    for (Duration t = from; t < to; t += 1min) {
      Sample s;
      s.target = target;
      s.at = at(t);
      s.up = !(t >= down_from && t < down_to);
      s.reason = s.up ? "" : "connect";
      s.total_us = latency_us + std::chrono::duration_cast<std::chrono::minutes>(t).count() % 60;
      ASSERT_TRUE(store_->add_sample(s));
    }
  }

  std::vector<HourlyHistory> history(const std::string& target) {
    auto rows = hourly_history(*store_, target, at(-100h), at(100h));
    EXPECT_TRUE(rows) << rows.error().message;
    return rows.value_or(std::vector<HourlyHistory>{});
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(HistoryTest, EachCompleteHourGetsItsChecksFailuresDowntimeAndLatency) {
  // Down from 08:30 to 09:15; the hour from 10:00 is not over at 10:10.
  checks("portal", 0min, 130min, 30min, 75min);
  checks("news", 0min, 130min);
  auto rolled = roll_up_samples(*store_, at(130min));
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_EQ(*rolled, 4);

  const auto portal = history("portal");
  ASSERT_EQ(portal.size(), 2U);
  EXPECT_EQ(portal[0].hour, at(0h));
  EXPECT_EQ(portal[0].checks, 60);
  EXPECT_EQ(portal[0].failures, 30);
  EXPECT_EQ(portal[0].downtime, 30min);
  // The 30 successful checks of 08:00-08:29 took 1000..1029 us.
  EXPECT_EQ(portal[0].latency_p50_us, 1014);
  EXPECT_EQ(portal[0].latency_p95_us, 1028);
  EXPECT_EQ(portal[0].latency_max_us, 1029);
  EXPECT_EQ(portal[1].hour, at(1h));
  EXPECT_EQ(portal[1].failures, 15);
  EXPECT_EQ(portal[1].downtime, 15min);
  const auto news = history("news");
  ASSERT_EQ(news.size(), 2U);
  EXPECT_EQ(news[1].failures, 0);
  EXPECT_EQ(news[1].downtime, 0min);
  EXPECT_EQ(news[1].latency_max_us, 1059);

  // Nothing twice: the next call has no complete hour left.
  EXPECT_EQ(roll_up_samples(*store_, at(130min)).value_or(-1), 0);
  EXPECT_EQ(rolled_up_until(*store_).value_or(Time{}), at(2h));
}

TEST_F(HistoryTest, DowntimeCrossesHoursButNotAStoppedDaemon) {
  // The last check before the daemon stopped for hours was a failure at
  // 08:59: it counts for an hour at most (08:59-09:59), split over the hours.
  checks("portal", 0min, 60min, 59min, 60min);
  checks("portal", 270min, 300min);
  ASSERT_TRUE(roll_up_samples(*store_, at(6h)));
  const auto portal = history("portal");
  ASSERT_EQ(portal.size(), 3U);  // 08:00, 09:00 (downtime only) and 12:00
  EXPECT_EQ(portal[0].downtime, 1min);
  EXPECT_EQ(portal[1].hour, at(1h));
  EXPECT_EQ(portal[1].checks, 0);
  EXPECT_EQ(portal[1].downtime, 59min);
  EXPECT_EQ(portal[2].hour, at(4h));
  EXPECT_EQ(portal[2].downtime, 0min);
}

TEST_F(HistoryTest, AFirstRollUpOfDaysGoesADayAtATime) {
  checks("portal", 0h, 30h);
  EXPECT_EQ(roll_up_samples(*store_, at(30h)).value_or(-1), 24);
  EXPECT_EQ(rolled_up_until(*store_).value_or(Time{}), at(24h));
  EXPECT_EQ(roll_up_samples(*store_, at(30h)).value_or(-1), 5);  // 24:00-29:00; 29:00 is not over
  EXPECT_EQ(history("portal").size(), 29U);
}

TEST_F(HistoryTest, SamplesGoOnlyOnceRolledUpAndHistoryAfterItsRetention) {
  checks("portal", 0min, 130min);
  EXPECT_EQ(rolled_up_until(*store_).value_or(at(1h)), Time{});  // nothing yet: no sample may go
  // Retention of a minute: only the samples of the two complete hours go.
  auto removed = keep_history(*store_, at(130min), 1min, 24h * 400);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 120);
  auto left = store_->samples("portal", 100);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->size(), 10U);
  EXPECT_EQ(history("portal").size(), 2U);
  // A day later with a history kept for a day: the first hour's row goes.
  ASSERT_TRUE(keep_history(*store_, at(24h + 30min), 1min, 24h));
  const auto kept = history("portal");
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.front().hour, at(1h));
}

}  // namespace
}  // namespace netwarden
