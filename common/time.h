// Time as the whole program sees it.
//
// Logic never reads the clock itself: the shell reads the clock and passes a
// Time in, so the core can be driven by a virtual clock in tests. Stored
// times are UTC (milliseconds since the Unix epoch in SQLite); times shown to
// people are local time with the UTC offset.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace netwarden {

using Clock = std::chrono::system_clock;
using Time = std::chrono::time_point<Clock, std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

inline Time now_utc() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

inline std::int64_t to_unix_ms(Time t) { return t.time_since_epoch().count(); }
inline Time from_unix_ms(std::int64_t ms) { return Time(Duration(ms)); }

// "2026-11-22T13:46:23.120Z"
std::string format_utc(Time t);
// "2026-11-22 21:46:23 +08:00" in the process's local time zone.
std::string format_local(Time t);
// `t` in the process's local time zone, with its UTC offset as a sign and
// minutes: what the local formats (here and in mail Date headers) print.
struct LocalTime {
  std::tm tm;
  char sign;  // '+' or '-'
  long offset_min;
};
LocalTime local_time(Time t);
// "2h10m", "45s", "0s": the shape config durations are written in.
std::string format_duration(Duration d);

}  // namespace netwarden
