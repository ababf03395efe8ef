// An incident as the engine keeps it and the store saves it.
//
// Plain data. Besides what people see (kind, target, severity, the
// timestamps of docs/design.md §2), it carries everything the engine needs to
// carry on after a restart without repeating itself: which chain steps have
// fired and how often they repeated, which threshold warnings went out,
// whether the threshold was crossed, who has been notified, and whether a
// recovery is under way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "config/config.h"

namespace netwarden {

enum class IncidentKind {
  site_down,
  content_changed,
  harmful_content,
  tls_problem,
  isolation_breach,
  monitor_degraded,
  hidden_link,     // links to other hosts a visitor cannot see (暗链)
  malicious_code,  // code or frames from hosts not allowed, obfuscated code (挂马)
  cloaking,        // spam shown only to crawlers, search visitors or phones (快照劫持)
  privacy_leak     // ID, bank card or mobile numbers of many people on the page (个人信息泄露)
};

// Stable lowercase names ("site_down", ...) used in JSON, the store and the ledger.
std::string_view to_string(IncidentKind kind);
std::optional<IncidentKind> parse_incident_kind(std::string_view name);

// The grades are the config's, so an administrator's [incidents] defaults
// need no translation.
using Severity = SeverityLevel;
std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view name);
// `grades` higher, never above critical.
Severity raised(Severity severity, int grades);

using IncidentId = std::int64_t;

// One chain step's progress on one incident.
struct StepProgress {
  std::optional<Time> fired_at;  // first notification; null: not yet
  int repeats = 0;               // re-notifications sent since fired_at
  bool skipped = false;          // skip_if_acknowledged applied before it came due
};

struct Incident {
  IncidentId id = 0;
  IncidentKind kind = IncidentKind::site_down;
  std::string target;   // a web target or isolation watch id
  std::string subject;  // isolation_breach of a pcap watch: the internal host; "" otherwise
  Severity severity = Severity::general;
  std::string reason;  // short machine name of the cause, e.g. "timeout"
  std::string detail;  // human-readable

  Time started_at;   // first failing observation of the streak
  Time detected_at;  // when it was confirmed and opened
  std::optional<Time> acknowledged_at;
  std::string acknowledged_by;
  std::optional<Time> threshold_at;   // the line itself (started_at + threshold) once crossed
  std::optional<Time> healthy_since;  // recovery under way since then
  std::optional<Time> resolved_at;
  std::string resolved_by;  // "" when it recovered by itself

  std::vector<StepProgress> steps;      // one per step of the target's chain
  std::vector<Duration> warnings_sent;  // threshold_warnings already handled
  std::vector<std::string> notified;    // person ids told so far, first-told first
  std::vector<std::string> suppressed;  // monitor_degraded: targets whose site_down it held back

  // isolation_breach of a pcap watch: the host's last breach packet (it
  // resolves after the watch's quiet_period without one), and the capture
  // file holding its first packets.
  std::optional<Time> last_seen;
  std::string evidence;

  bool open() const { return !resolved_at.has_value(); }
};

}  // namespace netwarden
