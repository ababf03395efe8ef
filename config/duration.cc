// parse_duration(): the "1h30m" notation used for every duration in the
// config. Units must come in descending order and each at most once, so a
// duration has exactly one spelling a reader can check at a glance. Ten
// years is the limit: far beyond any interval, retention or window, and far
// from where adding a duration to a time point could overflow.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/load_config.h"

namespace netwarden {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Largest first; the order in which they may appear.
constexpr std::array<Unit, 5> kUnits = {{
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Index into kUnits of the unit at the start of `rest`, or -1.
int match_unit(std::string_view rest) {
  if (rest.starts_with("ms")) return 4;  // before "m", which it starts with
  for (int i = 0; i < 4; ++i) {
    if (rest.starts_with(kUnits[i].suffix)) return i;
  }
  return -1;
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const auto malformed = [&] {
    return fail(quoted + " is not a duration (write it like \"90s\", \"30m\", \"3h\" or \"1h30m\")");
  };
  if (text.empty()) return malformed();
  // Amounts and sums saturate just above the limit, so that no number of
  // digits can overflow and every too long duration is called that.
  constexpr std::int64_t kLimit = kLongestDuration.count();
  std::int64_t total = 0;
  int next_allowed = 0;  // index of the largest unit still allowed
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) return malformed();
    std::int64_t amount = 0;
    while (i < text.size() && is_digit(text[i])) {
      amount = std::min(amount * 10 + (text[i] - '0'), kLimit + 1);
      ++i;
    }
    int unit = match_unit(text.substr(i));
    if (unit < next_allowed) return malformed();  // also catches -1: no unit
    const std::int64_t ms = amount > kLimit / kUnits[unit].ms ? kLimit + 1 : amount * kUnits[unit].ms;
    total = std::min(total + ms, kLimit + 1);
    i += kUnits[unit].suffix.size();
    next_allowed = unit + 1;
  }
  if (total > kLimit) return fail(quoted + " is longer than 10 years (3650d), the longest duration allowed");
  return Duration(total);
}

}  // namespace netwarden
