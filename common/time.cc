#include "common/time.h"

#include <cstdio>
#include <ctime>

namespace netwarden {

std::string format_utc(Time t) {
  std::int64_t ms = to_unix_ms(t);
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

LocalTime local_time(Time t) {
  std::time_t secs = static_cast<std::time_t>(to_unix_ms(t) / 1000);
  LocalTime l{};
  localtime_r(&secs, &l.tm);
  l.offset_min = l.tm.tm_gmtoff / 60;
  l.sign = l.offset_min < 0 ? '-' : '+';
  if (l.offset_min < 0) l.offset_min = -l.offset_min;
  return l;
}

std::string format_local(Time t) {
  const LocalTime l = local_time(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d %c%02ld:%02ld", l.tm.tm_year + 1900, l.tm.tm_mon + 1,
                l.tm.tm_mday, l.tm.tm_hour, l.tm.tm_min, l.tm.tm_sec, l.sign, l.offset_min / 60, l.offset_min % 60);
  return buf;
}

std::string format_duration(Duration d) {
  auto total = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (total <= 0) return "0s";
  std::string out;
  auto days = total / 86400, hours = total / 3600 % 24, minutes = total / 60 % 60, seconds = total % 60;
  if (days) out += std::to_string(days) + "d";
  if (hours) out += std::to_string(hours) + "h";
  if (minutes) out += std::to_string(minutes) + "m";
  if (seconds) out += std::to_string(seconds) + "s";
  return out;
}

}  // namespace netwarden
