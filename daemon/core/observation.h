// What the incident engine is fed for one target after one check.
//
// Each concern is judged only when the check could see it: a page that did
// not load says nothing about its content, a plain-HTTP site nothing about
// certificates. Plain data.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "daemon/core/incident_policy.h"
#include "daemon/core/web_check.h"

namespace netwarden {

struct Observation {
  Time at;
  std::string target;
  std::string subject;  // isolation: the internal host the finding is about; "" otherwise

  bool down = false;
  std::string reason;  // why it is down (a FetchFailure name, "http_status", "content_rule")
  std::string detail;

  // Content, judged against the approved baseline.
  bool content_seen = false;
  bool text_changed = false;
  bool structure_changed = false;
  std::vector<std::string> harmful;  // harmful words found

  // Certificate: verification failed, or it expires within cert_warning_days.
  bool tls_seen = false;
  bool tls_problem = false;
  std::string tls_detail;
};

// What an isolation watch found. A pcap watch reports an internal host's
// breach traffic (first and last packet so far, the destinations in
// `detail`); the incident resolves once the host has sent none for the
// watch's quiet_period. A must_not_reach watch reports each round of
// checks, breach or not (host ""), and resolves like a site: after
// recovery_window of healthy rounds.
struct IsolationObservation {
  std::string watch;
  std::string host;
  bool breach = false;
  Time first_seen;  // pcap: the host's first breach packet; must_not_reach: the round's time
  Time last_seen;   // pcap: its latest; must_not_reach: the round's time
  std::string detail;
  std::string evidence;  // pcap: the capture file of its first packets
};

// A TLS handshake or verification failure is both: the site is down for its
// visitors (site_down, which the threshold applies to) and the certificate
// is at fault (tls_problem, so it stays on record as its own concern).
Observation observation_from(const std::string& target, const CheckVerdict& verdict, const IncidentPolicy& policy);

}  // namespace netwarden
