#include "daemon/web_monitor/verdict_json.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/store/page_evidence_json.h"

namespace netwarden {

namespace {

boost::json::array to_array(const std::vector<std::string>& words) {
  boost::json::array out;
  for (const auto& w : words) out.emplace_back(w);
  return out;
}

// What each finding is about (its URL or script); the why is in the incident.
std::vector<std::string> finding_names(const std::vector<PageFinding>& findings) {
  std::vector<std::string> out;
  out.reserve(findings.size());
  for (const auto& f : findings) out.push_back(f.what);
  return out;
}

std::vector<PageFinding> findings_named(const std::vector<std::string>& names) {
  std::vector<PageFinding> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back({n, ""});
  return out;
}

std::vector<std::string> from_array(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = o.if_contains(key); a && a->is_array()) {
    for (const auto& v : a->get_array()) {
      if (v.is_string()) out.emplace_back(v.get_string());
    }
  }
  return out;
}

ContentState content_state_from(std::string_view s) {
  for (auto state : {ContentState::baseline_set, ContentState::unchanged, ContentState::changed}) {
    if (s == to_string(state)) return state;
  }
  return ContentState::unknown;
}

}  // namespace

void add_verdict_fields(boost::json::object& out, const CheckVerdict& v) {
  out["state"] = v.up ? "up" : "down";
  out["reason"] = v.reason;
  out["detail"] = v.detail;
  out["last_check"] = format_utc(v.at);
  out["latency_ms"] = static_cast<double>(v.latency.count()) / 1000.0;
  if (v.status != 0) {
    out["status"] = v.status;
  } else {
    out["status"] = nullptr;
  }
  out["content"] = to_string(v.content);
  out["structure"] = to_string(v.structure);
  out["harmful"] = to_array(v.harmful);
  out["required_missing"] = to_array(v.required_missing);
  out["hidden_links"] = to_array(finding_names(v.hidden_links));
  out["foreign_code"] = to_array(finding_names(v.foreign_code));
  out["personal_data"] = personal_data_json(v.personal_data);
  out["blind_spot"] = v.blind_spot;
  out["cloaking_refused"] = to_array(v.cloaking_refused);
  if (v.cert_days_left) {
    out["cert_days_left"] = *v.cert_days_left;
  } else {
    out["cert_days_left"] = nullptr;
  }
  out["dns_changed"] = v.dns_changed;
  out["cert_changed"] = v.cert_changed;
}

void add_unknown_verdict_fields(boost::json::object& out) {
  out["state"] = "unknown";
  out["reason"] = "";
  out["detail"] = "";
  out["last_check"] = nullptr;
  out["latency_ms"] = nullptr;
  out["status"] = nullptr;
  out["content"] = "unknown";
  out["structure"] = "unknown";
  out["harmful"] = boost::json::array();
  out["required_missing"] = boost::json::array();
  out["hidden_links"] = boost::json::array();
  out["foreign_code"] = boost::json::array();
  out["personal_data"] = boost::json::array();
  out["blind_spot"] = "";
  out["cloaking_refused"] = boost::json::array();
  out["cert_days_left"] = nullptr;
  out["dns_changed"] = false;
  out["cert_changed"] = false;
}

std::string verdict_to_json(const CheckVerdict& v) {
  boost::json::object o;
  add_verdict_fields(o, v);
  o["at_ms"] = to_unix_ms(v.at);
  o["latency_us"] = static_cast<std::int64_t>(v.latency.count());
  return boost::json::serialize(o);
}

std::optional<CheckVerdict> verdict_from_json(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  const auto* at = o.if_contains("at_ms");
  if (at == nullptr || !at->is_int64()) return std::nullopt;

  CheckVerdict v;
  v.at = from_unix_ms(at->get_int64());
  if (const auto* s = o.if_contains("state"); s && s->is_string()) v.up = s->get_string() == "up";
  if (const auto* s = o.if_contains("reason"); s && s->is_string()) v.reason = s->get_string();
  if (const auto* s = o.if_contains("detail"); s && s->is_string()) v.detail = s->get_string();
  if (const auto* s = o.if_contains("status"); s && s->is_int64()) v.status = static_cast<int>(s->get_int64());
  if (const auto* s = o.if_contains("latency_us"); s && s->is_int64())
    v.latency = std::chrono::microseconds(s->get_int64());
  if (const auto* s = o.if_contains("content"); s && s->is_string()) v.content = content_state_from(s->get_string());
  if (const auto* s = o.if_contains("structure"); s && s->is_string())
    v.structure = content_state_from(s->get_string());
  if (const auto* s = o.if_contains("cert_days_left"); s && s->is_int64())
    v.cert_days_left = static_cast<int>(s->get_int64());
  if (const auto* s = o.if_contains("dns_changed"); s && s->is_bool()) v.dns_changed = s->get_bool();
  if (const auto* s = o.if_contains("cert_changed"); s && s->is_bool()) v.cert_changed = s->get_bool();
  v.harmful = from_array(o, "harmful");
  v.required_missing = from_array(o, "required_missing");
  v.hidden_links = findings_named(from_array(o, "hidden_links"));
  v.foreign_code = findings_named(from_array(o, "foreign_code"));
  v.personal_data = personal_data_from(o);
  if (const auto* s = o.if_contains("blind_spot"); s && s->is_string()) v.blind_spot = s->get_string();
  v.cloaking_refused = from_array(o, "cloaking_refused");
  return v;
}

}  // namespace netwarden
