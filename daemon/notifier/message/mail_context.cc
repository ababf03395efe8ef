#include "daemon/notifier/message/mail_context.h"

#include <algorithm>

#include "common/url_host.h"
#include "daemon/core/crawl_report.h"
#include "daemon/core/incident_policy.h"

namespace netwarden {

namespace {

std::string display_name(const Config& config, const std::string& id) {
  auto it = config.people.find(id);
  return it == config.people.end() || it->second.name.empty() ? id : it->second.name;
}

std::vector<std::string> display_names(const Config& config, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(display_name(config, id));
  return out;
}

}  // namespace

MailContext mail_context(const Config& config, const Incident& incident, const Notification& notification,
                         const MailEvidence& evidence, Time now) {
  MailContext c;
  c.incident = incident.id;
  c.kind = incident.kind;
  c.severity = incident.severity;
  c.target_id = incident.target;
  c.target_name = incident.target;
  // A watch has no threshold of its own: the engine applies the default.
  Duration threshold = WebTarget{}.threshold;
  std::string unit;
  auto target = std::find_if(config.targets.begin(), config.targets.end(),
                             [&](const WebTarget& t) { return t.id == incident.target; });
  if (target != config.targets.end()) {
    if (!target->name.empty()) c.target_name = target->name;
    c.url = target->url;
    c.host = url_host(target->url);
    c.crawl = incident.subject == kCrawlSubject;
    unit = target->unit;
    threshold = target->threshold;
  } else {
    auto watch = std::find_if(config.isolation.begin(), config.isolation.end(),
                              [&](const IsolationWatch& w) { return w.id == incident.target; });
    if (watch != config.isolation.end()) unit = watch->unit;
    c.host = incident.subject;  // the internal host that reached out, if known
  }
  if (auto u = config.units.find(unit); u != config.units.end()) {
    c.unit_id = unit;
    c.unit_name = u->second.name.empty() ? unit : u->second.name;
    for (const auto& [role, ids] : {std::pair<std::string, const std::vector<std::string>*>{"head", &u->second.head},
                                    {"security_officer", &u->second.security_officer},
                                    {"operator", &u->second.operators}}) {
      if (!ids->empty()) c.responsible.push_back({role, display_names(config, *ids)});
    }
  }
  c.notified = display_names(config, incident.notified);
  c.detail = incident.detail;

  c.now = now;
  c.started_at = incident.started_at;
  c.detected_at = incident.detected_at;
  c.elapsed = incident.resolved_at.value_or(now) - incident.started_at;
  if (has_threshold(incident.kind)) c.threshold = threshold;
  c.crossed_at = incident.threshold_at;
  c.acknowledged_at = incident.acknowledged_at;
  if (incident.acknowledged_at) c.acknowledged_by = display_name(config, incident.acknowledged_by);
  c.resolved_at = incident.resolved_at;
  if (!incident.resolved_by.empty()) c.resolved_by = display_name(config, incident.resolved_by);

  c.reasons = notification.reasons;
  c.late = notification.late;
  c.ack_command = "netwardenctl ack " + std::to_string(incident.id);
  c.evidence = evidence;
  c.diff = short_diff(evidence.old_text, evidence.new_text);
  return c;
}

}  // namespace netwarden
