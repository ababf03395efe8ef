// Everything an escalation e-mail says about one incident, gathered from the
// config, the incident, the notification and the evidence the daemon keeps,
// in no particular language (mail_compose.h words it). Pure: the caller
// passes `now`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"
#include "daemon/notifier/message/text_diff.h"
#include "probes/content/digest_result.h"

namespace netwarden {

// What the daemon found, as plain data it fills from the store; anything
// unknown stays empty.
struct MailEvidence {
  std::optional<int> http_status;
  std::optional<std::int64_t> latency_ms;  // the whole check
  std::string final_url;                   // after redirects
  std::string remote_address;              // "203.0.113.5:443"
  std::string tls_detail;                  // e.g. "certificate has expired"
  std::optional<int> cert_days_left;       // negative: expired that long ago
  std::string old_text;                    // content_changed: normalised text before
  std::string new_text;                    // and now
  std::vector<std::string> keywords;       // harmful_content: the matched ones
  std::vector<KeywordHit> keyword_hits;    // and each one's category and the page's words around it
  std::vector<PageFinding> hidden_links;   // hidden_link: each link and why it counts as hidden
  std::vector<PageFinding> foreign_code;   // malicious_code: each script, frame or redirect and why
  std::vector<std::string> destinations;   // isolation_breach: "10.1.2.3 -> 93.184.216.34:443/tcp"
  // privacy_leak: each kind, its count, masked examples
  std::vector<PersonalDataFinding> personal_data;
};

// One role of the owning unit and who holds it.
struct RoleHolders {
  std::string role;                // "head", "security_officer", "operator"
  std::vector<std::string> names;  // display names
};

struct MailContext {
  IncidentId incident = 0;
  IncidentKind kind = IncidentKind::site_down;
  Severity severity = Severity::general;
  std::string target_id;
  std::string target_name;  // WebTarget::name, or the id for an isolation watch
  std::string url;          // web targets only
  std::string host;         // the URL's host, for the subject
  std::string unit_id;      // the owning unit's id; "" when the target has none
  std::string unit_name;
  std::vector<RoleHolders> responsible;  // head, security officer, operators; roles nobody holds left out
  std::vector<std::string> notified;     // display names of everyone told so far, first-told first
  std::string detail;                    // Incident::detail

  Time now;
  Time started_at;
  Time detected_at;
  Duration elapsed{0};                // (resolved_at or now) - started_at
  std::optional<Duration> threshold;  // none: the kind has no outage threshold
  std::optional<Time> crossed_at;     // when the threshold was crossed
  std::optional<Time> acknowledged_at;
  std::string acknowledged_by;  // a display name when the actor is a person
  std::optional<Time> resolved_at;
  std::string resolved_by;  // "" when it recovered by itself

  std::vector<NotifyReason> reasons;
  bool late = false;
  bool crawl = false;       // found by crawling the site's other pages and files, not on the watched page
  bool drill = false;       // set by the caller for an exercise: the subject says so
  std::string ack_command;  // "netwardenctl ack 12"

  MailEvidence evidence;
  ShortDiff diff;  // of evidence.old_text and new_text

  // The ledger head once this decision's events are recorded (hash empty:
  // not known), sent as an anchor a rewritten ledger cannot match.
  std::int64_t ledger_seq = 0;
  std::string ledger_hash;
};

MailContext mail_context(const Config& config, const Incident& incident, const Notification& notification,
                         const MailEvidence& evidence, Time now);

}  // namespace netwarden
