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
  EXPECT_EQ(parse_duration("0000000000000000000000000000001s"), seconds(1));
}

TEST(DurationTest, RejectsMalformedText) {
  for (const char* text : {"",
                           "90",
                           "s",
                           "1h30",
                           "1.5h",
                           "-1s",
                           "+1s",
                           " 1s",
                           "1s ",
                           "1 s",
                           "1H",
                           "1sec",
                           "1min",
                           "1m1h",
                           "1h1h",
                           "5ms3s",
                           "1msx",
                           "h1",
                           "99999999999999999999dx",
                           "1d99999999999999999999"}) {
    Result<Duration> parsed = parse_duration(text);
    ASSERT_FALSE(parsed.has_value()) << '"' << text << '"';
    EXPECT_EQ(parsed.error().message,
              "\"" + std::string(text) + "\" is not a duration (write it like \"90s\", \"30m\", \"3h\" or \"1h30m\")");
  }
}

// Ten years at most; so many digits that the amount would overflow any
// integer are just too long, too.
TEST(DurationTest, TenYearsAtMost) {
  EXPECT_EQ(parse_duration("3650d"), kLongestDuration);
  EXPECT_EQ(parse_duration("87600h"), kLongestDuration);
  EXPECT_EQ(parse_duration("3649d23h59m59s999ms"), kLongestDuration - milliseconds(1));
  for (const char* text : {"3650d1ms", "3651d", "87601h", "315360000001ms", "106751991168d", "99999999999999999999d",
                           "9223372036854775807ms", "9223372036854775808ms", "3650d9223372036854775807h",
                           "1d1h1m1s99999999999999999999999999999999ms"}) {
    Result<Duration> parsed = parse_duration(text);
    ASSERT_FALSE(parsed.has_value()) << '"' << text << '"';
    EXPECT_EQ(parsed.error().message,
              "\"" + std::string(text) + "\" is longer than 10 years (3650d), the longest duration allowed");
  }
}

}  // namespace
}  // namespace netwarden
