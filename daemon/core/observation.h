// What the incident engine is fed for one target after one check.
//
// Each concern is judged only when the check could see it: a page that did
// not load says nothing about its content, a plain-HTTP site nothing about
// certificates. Plain data.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "daemon/core/crawl_report.h"
#include "daemon/core/incident_policy.h"
#include "daemon/core/web_check.h"

namespace netwarden {

struct Observation {
  Time at;
  std::string target;
  // isolation: the internal host the finding is about; a crawl's findings:
  // kCrawlSubject; "" otherwise
  std::string subject;

  bool down = false;
  std::string reason;  // why it is down (a FetchFailure name, "http_status", "content_rule")
  std::string detail;

  // Content, judged against the approved baseline.
  bool content_seen = false;
  bool text_changed = false;
  bool structure_changed = false;
  std::vector<std::string> harmful;       // harmful words found
  std::vector<KeywordHit> harmful_hits;   // their categories, severities and quotes
  std::vector<PageFinding> hidden_links;  // hidden_link
  std::vector<PageFinding> foreign_code;  // malicious_code
  std::string blind_spot;                 // "region_empty: ...": content_changed with that reason
  // privacy_leak: each kind over its minimum, masked
  std::vector<PersonalDataFinding> personal_data;

  // Cloaking, judged on the rounds that fetched the variants (crawlers, a
  // search visitor, a phone) beside the plain page: the variant that showed
  // what the plain page does not ("Baiduspider"), and that difference in
  // words. `cloaking_keyword`: the difference holds a harmful keyword.
  bool cloaking_seen = false;
  std::string cloaking_variant;  // "": no variant differs
  std::string cloaking_difference;
  bool cloaking_keyword = false;

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

// Whether a page finding's evidence carries a harmful keyword (a hidden
// link's words do, PageFinding::keywords, or its URL or reason names one of
// the page's `keywords`): such a finding goes to the top of the chain at once.
bool carries_keyword(const std::vector<PageFinding>& findings, const std::vector<std::string>& keywords);

// A TLS handshake or verification failure is both: the site is down for its
// visitors (site_down, which the threshold applies to) and the certificate
// is at fault (tls_problem, so it stays on record as its own concern).
Observation observation_from(const std::string& target, const CheckVerdict& verdict, const IncidentPolicy& policy);

// A crawl's findings, subject kCrawlSubject: the content of pages other than
// the watched one, each finding naming its page.
Observation observation_from(const CrawlReport& report);

}  // namespace netwarden
