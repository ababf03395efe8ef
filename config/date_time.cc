#include "config/date_time.h"

#include <chrono>
#include <optional>
#include <string>

namespace netwarden {
namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
std::optional<int> take_number(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool take_char(std::string_view text, std::size_t& pos, std::string_view any_of) {
  if (pos >= text.size() || any_of.find(text[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

}  // namespace

Result<Time> parse_date_time(std::string_view text) {
  using namespace std::chrono;
  const std::string quoted = "\"" + std::string(text) + "\"";
  const auto malformed = [&] { return fail(quoted + " is not a date and time like \"2026-12-01T22:00:00+08:00\""); };
  std::size_t pos = 0;
  std::optional<int> y = take_number(text, pos, 4);
  if (!y || !take_char(text, pos, "-")) return malformed();
  std::optional<int> mo = take_number(text, pos, 2);
  if (!mo || !take_char(text, pos, "-")) return malformed();
  std::optional<int> d = take_number(text, pos, 2);
  if (!d || !take_char(text, pos, "Tt ")) return malformed();
  std::optional<int> h = take_number(text, pos, 2);
  if (!h || !take_char(text, pos, ":")) return malformed();
  std::optional<int> mi = take_number(text, pos, 2);
  if (!mi || !take_char(text, pos, ":")) return malformed();
  std::optional<int> s = take_number(text, pos, 2);
  if (!s) return malformed();
  int ms = 0;
  if (take_char(text, pos, ".")) {
    std::size_t digits = 0;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) ms = ms * 10 + (text[pos] - '0');
    }
    if (digits == 0) return malformed();
    for (; digits < 3; ++digits) ms *= 10;
  }

  int offset_minutes = 0;
  if (pos == text.size()) return fail(quoted + " needs a UTC offset, like \"+08:00\" or \"Z\"");
  if (!take_char(text, pos, "Zz")) {
    const bool negative = text[pos] == '-';
    if (!take_char(text, pos, "+-")) return malformed();
    std::optional<int> oh = take_number(text, pos, 2);
    if (!oh || !take_char(text, pos, ":")) return malformed();
    std::optional<int> om = take_number(text, pos, 2);
    if (!om) return malformed();
    if (*oh > 23 || *om > 59) return fail(quoted + " has an invalid UTC offset");
    offset_minutes = (negative ? -1 : 1) * (*oh * 60 + *om);
  }
  if (pos != text.size()) return malformed();

  const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
  if (!date.ok()) return fail(quoted + " names a day that does not exist");
  if (*h > 23 || *mi > 59 || *s > 59) return fail(quoted + " has an invalid time of day");
  const Time local =
      time_point_cast<milliseconds>(sys_days(date)) + hours(*h) + minutes(*mi) + seconds(*s) + milliseconds(ms);
  return local - minutes(offset_minutes);
}

}  // namespace netwarden
