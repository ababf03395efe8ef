#include "probes/attachments/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace netwarden::attachment_detail {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "digits" with the decimal point after `point` of them (point may be
// negative or beyond the end), zeros trimmed as a person would write it.
std::string place_point(std::string_view sign, const std::string& digits, std::int64_t point) {
  std::string whole;
  std::string fraction;
  const auto size = static_cast<std::int64_t>(digits.size());
  if (point <= 0) {
    fraction = std::string(static_cast<std::size_t>(-point), '0') + digits;
  } else if (point >= size) {
    whole = digits + std::string(static_cast<std::size_t>(point - size), '0');
  } else {
    whole = digits.substr(0, static_cast<std::size_t>(point));
    fraction = digits.substr(static_cast<std::size_t>(point));
  }
  while (whole.size() > 1 && whole.front() == '0') whole.erase(0, 1);
  if (whole.empty()) whole = "0";
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return std::string(sign) + whole + (fraction.empty() ? "" : "." + fraction);
}

}  // namespace

std::string plain_decimal(std::string_view number) {
  const std::size_t e = number.find_first_of("eE");
  if (e == std::string_view::npos) return std::string(number);
  std::string_view mantissa = number.substr(0, e);
  std::string_view exponent_text = number.substr(e + 1);
  if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
  int exponent = 0;
  const auto [end, ec] = std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  // Beyond a few hundred places the digits would be noise, not a number anyone typed.
  if (ec != std::errc() || end != exponent_text.data() + exponent_text.size() || std::abs(exponent) > 400) {
    return std::string(number);
  }
  std::string_view sign;
  if (mantissa.starts_with('-') || mantissa.starts_with('+')) {
    sign = mantissa.starts_with('-') ? "-" : "";
    mantissa.remove_prefix(1);
  }
  const std::size_t dot = mantissa.find('.');
  const std::string_view before = mantissa.substr(0, dot);
  const std::string_view after = dot == std::string_view::npos ? std::string_view() : mantissa.substr(dot + 1);
  if (before.empty() && after.empty()) return std::string(number);
  if (!all_digits(before) || !all_digits(after)) return std::string(number);
  const std::string digits = std::string(before) + std::string(after);
  const std::int64_t point = static_cast<std::int64_t>(before.size()) + exponent;
  const std::size_t significant = digits.size() - std::min(digits.size(), digits.find_first_not_of('0'));
  if (significant >= 17 && point > static_cast<std::int64_t>(digits.size())) {
    double value = 0;
    const auto [stop, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error == std::errc() && stop == number.data() + number.size()) return plain_double(value);
  }
  return place_point(sign, digits, point);
}

std::string plain_double(double value) {
  if (!std::isfinite(value)) return {};
  char buffer[512];
  // 1e21 and beyond are not digits anyone typed one by one.
  const bool integral = std::trunc(value) == value && std::fabs(value) < 1e21;
  const auto [end, ec] = integral ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 0)
                                  : std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (ec != std::errc()) return {};
  return {buffer, end};
}

}  // namespace netwarden::attachment_detail
