// What one must_not_reach check found: every endpoint connected to and every
// name looked up, with its outcome. Any `reached` is a breach (this host's
// network gets out); every other outcome is the healthy result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netwarden {

enum class ReachOutcome {
  reached,      // TCP connected, or the name resolved to at least one address
  refused,      // TCP RST, ICMP port unreachable, or a resolver's REFUSED
  timed_out,    // no answer within the watch's timeout
  unreachable,  // no route to the network or host
  not_found,    // the name does not exist (NXDOMAIN)
  no_address,   // the name exists but has no A or AAAA record
  failed,       // anything else: a malformed reply, SERVFAIL, a local error
};

// "reached", "refused", "timed out", ...
std::string_view outcome_name(ReachOutcome outcome);

struct ReachAttempt {
  std::string target;  // the endpoint or name as configured
  std::string via;     // the address connected to, or the resolver asked ("system resolver")
  ReachOutcome outcome = ReachOutcome::failed;
  std::string detail;  // "connected to 114.114.114.114:53", "www.baidu.com resolved to 1.2.3.4 via 10.0.0.53"
};

struct ReachResult {
  std::vector<ReachAttempt> attempts;  // endpoints, then names, in config order
  bool breach = false;                 // some attempt reached
  std::string detail;                  // the reached attempts' details, or why all is well
};

// The verdict and its text for a complete list of attempts.
ReachResult summarise(std::vector<ReachAttempt> attempts);

}  // namespace netwarden
