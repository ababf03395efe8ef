#include "daemon/incidents/incident_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace netwarden {

namespace json = boost::json;

namespace {

json::value time_value(const std::optional<Time>& t) { return t ? json::value(to_unix_ms(*t)) : json::value(nullptr); }

// Reads fields of one JSON object, remembering the first problem so the
// caller checks once at the end instead of after every field.
class Reader {
 public:
  Reader(const json::object& o, std::string subject) : o_(o), subject_(std::move(subject)) {}

  bool has(std::string_view key) const { return o_.contains(key); }
  const json::value* field(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) problem(key, "is missing");
    return v;
  }
  std::int64_t integer(std::string_view key) {
    const json::value* v = field(key);
    if (v != nullptr && v->is_int64()) return v->get_int64();
    if (v != nullptr) problem(key, "must be an integer");
    return 0;
  }
  std::string text(std::string_view key) {
    const json::value* v = field(key);
    if (v != nullptr && v->is_string()) return std::string(v->get_string());
    if (v != nullptr) problem(key, "must be a string");
    return {};
  }
  Time time(std::string_view key) { return from_unix_ms(integer(key)); }
  std::optional<Time> optional_time(std::string_view key) {
    const json::value* v = field(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_int64()) return from_unix_ms(v->get_int64());
    problem(key, "must be an integer or null");
    return std::nullopt;
  }
  const json::array& array(std::string_view key) {
    static const json::array empty;
    const json::value* v = field(key);
    if (v != nullptr && v->is_array()) return v->get_array();
    if (v != nullptr) problem(key, "must be an array");
    return empty;
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    for (const auto& item : array(key)) {
      if (!item.is_string()) {
        problem(key, "must hold strings");
        break;
      }
      out.emplace_back(item.get_string());
    }
    return out;
  }
  void problem(std::string_view key, std::string_view what) {
    if (error_.empty()) error_ = subject_ + ": '" + std::string(key) + "' " + std::string(what);
  }
  void adopt(const Reader& other) {
    if (error_.empty()) error_ = other.error_;
  }
  const std::string& error() const { return error_; }

 private:
  const json::object& o_;
  std::string subject_;  // "stored incident", "stored incident, step 2"
  std::string error_;
};

}  // namespace

std::string incident_to_json(const Incident& i) {
  json::array steps;
  for (const auto& s : i.steps) {
    steps.push_back(json::object{{"fired_at", time_value(s.fired_at)}, {"repeats", s.repeats}, {"skipped", s.skipped}});
  }
  json::array warnings;
  for (const auto& w : i.warnings_sent) warnings.push_back(w.count());
  json::object o{
      {"id", i.id},
      {"kind", to_string(i.kind)},
      {"target", i.target},
      {"subject", i.subject},
      {"severity", to_string(i.severity)},
      {"reason", i.reason},
      {"detail", i.detail},
      {"started_at", to_unix_ms(i.started_at)},
      {"detected_at", to_unix_ms(i.detected_at)},
      {"acknowledged_at", time_value(i.acknowledged_at)},
      {"acknowledged_by", i.acknowledged_by},
      {"threshold_at", time_value(i.threshold_at)},
      {"healthy_since", time_value(i.healthy_since)},
      {"resolved_at", time_value(i.resolved_at)},
      {"resolved_by", i.resolved_by},
      {"steps", std::move(steps)},
      {"warnings_sent_ms", std::move(warnings)},
      {"notified", json::array(i.notified.begin(), i.notified.end())},
      {"suppressed", json::array(i.suppressed.begin(), i.suppressed.end())},
      {"last_seen", time_value(i.last_seen)},
      {"evidence", i.evidence},
  };
  return json::serialize(o);
}

Result<Incident> incident_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec) return fail("stored incident is not JSON: " + ec.message());
  if (!parsed.is_object()) return fail("stored incident is not a JSON object");
  Reader r(parsed.get_object(), "stored incident");

  Incident i;
  i.id = r.integer("id");
  const auto kind = parse_incident_kind(r.text("kind"));
  if (!kind) r.problem("kind", "is not an incident kind");
  i.kind = kind.value_or(IncidentKind::site_down);
  i.target = r.text("target");
  const auto severity = parse_severity(r.text("severity"));
  if (!severity) r.problem("severity", "is not a severity");
  i.severity = severity.value_or(Severity::general);
  i.reason = r.text("reason");
  i.detail = r.text("detail");
  i.started_at = r.time("started_at");
  i.detected_at = r.time("detected_at");
  i.acknowledged_at = r.optional_time("acknowledged_at");
  i.acknowledged_by = r.text("acknowledged_by");
  i.threshold_at = r.optional_time("threshold_at");
  i.healthy_since = r.optional_time("healthy_since");
  i.resolved_at = r.optional_time("resolved_at");
  i.resolved_by = r.text("resolved_by");
  for (const auto& step : r.array("steps")) {
    if (!step.is_object()) {
      r.problem("steps", "must hold objects");
      break;
    }
    Reader s(step.get_object(), "stored incident, step " + std::to_string(i.steps.size() + 1));
    StepProgress p{s.optional_time("fired_at"), static_cast<int>(s.integer("repeats")), false};
    const json::value* skipped = s.field("skipped");
    if (skipped != nullptr && skipped->is_bool()) p.skipped = skipped->get_bool();
    if (skipped != nullptr && !skipped->is_bool()) s.problem("skipped", "must be true or false");
    r.adopt(s);
    i.steps.push_back(p);
  }
  for (const auto& w : r.array("warnings_sent_ms")) {
    if (!w.is_int64()) {
      r.problem("warnings_sent_ms", "must hold integers");
      break;
    }
    i.warnings_sent.push_back(Duration(w.get_int64()));
  }
  i.notified = r.strings("notified");
  i.suppressed = r.strings("suppressed");
  // Added with isolation watches: incidents stored before have none.
  if (r.has("subject")) i.subject = r.text("subject");
  if (r.has("last_seen")) i.last_seen = r.optional_time("last_seen");
  if (r.has("evidence")) i.evidence = r.text("evidence");
  if (!r.error().empty()) return fail(r.error());
  return i;
}

}  // namespace netwarden
