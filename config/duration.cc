// parse_duration(): the "1h30m" notation used for every duration in the
// config. Units must come in descending order and each at most once, so a
// duration has exactly one spelling a reader can check at a glance.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
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

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  int next_allowed = 0;  // index of the largest unit still allowed
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) return std::nullopt;
    std::int64_t amount = 0;
    while (i < text.size() && is_digit(text[i])) {
      if (amount > (kMax - 9) / 10) return std::nullopt;
      amount = amount * 10 + (text[i] - '0');
      ++i;
    }
    int unit = match_unit(text.substr(i));
    if (unit < next_allowed) return std::nullopt;  // also catches -1: no unit
    if (amount > kMax / kUnits[unit].ms) return std::nullopt;
    std::int64_t ms = amount * kUnits[unit].ms;
    if (total > kMax - ms) return std::nullopt;
    total += ms;
    i += kUnits[unit].suffix.size();
    next_allowed = unit + 1;
  }
  return Duration(total);
}

}  // namespace netwarden
