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

// A TLS handshake or verification failure is both: the site is down for its
// visitors (site_down, which the threshold applies to) and the certificate
// is at fault (tls_problem, so it stays on record as its own concern).
Observation observation_from(const std::string& target, const CheckVerdict& verdict, const IncidentPolicy& policy);

}  // namespace netwarden
