#include "ctl/field_text.h"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <ctime>
#include <optional>

#include "common/time.h"

namespace netwarden {

namespace {

std::optional<Time> parse_utc(std::string_view text) {
  std::tm tm{};
  int millis = 0;
  char zone = 0;
  std::string s(text);
  int fields = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis, &zone);
  if (fields != 8 || zone != 'Z') return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t secs = ::timegm(&tm);
  return from_unix_ms(static_cast<std::int64_t>(secs) * 1000 + millis);
}

}  // namespace

std::string field_text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "yes" : "no";
  if (v->is_double()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v->get_double());
    return buf;
  }
  return boost::json::serialize(*v);
}

std::string local_time_text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return "-";
  auto t = parse_utc(v->get_string());
  return t ? format_local(*t) : std::string(v->get_string());
}

std::int64_t int_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  boost::system::error_code ec;
  auto n = v->to_number<std::int64_t>(ec);
  return ec ? 0 : n;
}

std::string subject_text(const boost::json::object& incident) {
  const std::string host = field_text(incident, "host");
  const std::string target = field_text(incident, "target");
  return host.empty() || host == "-" ? target : target + " " + host;
}

const boost::json::object& object_or_empty(const boost::json::object& o, std::string_view key) {
  static const boost::json::object empty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->get_object() : empty;
}

}  // namespace netwarden
