#include <gtest/gtest.h>

#include "config/load_config.h"

namespace netwarden {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(DurationTest, ParsesEachUnitAndCombinations) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("90s"), seconds(90));
  EXPECT_EQ(parse_duration("30m"), minutes(30));
  EXPECT_EQ(parse_duration("3h"), hours(3));
  EXPECT_EQ(parse_duration("7d"), hours(7 * 24));
  EXPECT_EQ(parse_duration("1h30m"), minutes(90));
  EXPECT_EQ(parse_duration("1d2h3m4s5ms"), hours(26) + minutes(3) + seconds(4) + milliseconds(5));
  EXPECT_EQ(parse_duration("1m500ms"), milliseconds(60'500));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));  // the loader decides where zero is allowed
}

TEST(DurationTest, RejectsMalformedText) {
  for (const char* text : {"", "90", "s", "1h30", "1.5h", "-1s", "+1s", " 1s", "1s ", "1 s", "1H", "1sec", "1min",
                           "1m1h", "1h1h", "5ms3s", "1msx", "h1", "99999999999999999999d", "106751991168d"}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace netwarden
