#include "probes/reach/reach_result.h"

namespace netwarden {

std::string_view outcome_name(ReachOutcome outcome) {
  switch (outcome) {
    case ReachOutcome::reached: return "reached";
    case ReachOutcome::refused: return "refused";
    case ReachOutcome::timed_out: return "timed out";
    case ReachOutcome::unreachable: return "unreachable";
    case ReachOutcome::not_found: return "not found";
    case ReachOutcome::no_address: return "no address";
    case ReachOutcome::failed: return "failed";
  }
  return "failed";
}

ReachResult summarise(std::vector<ReachAttempt> attempts) {
  ReachResult result;
  result.attempts = std::move(attempts);
  for (const ReachAttempt& a : result.attempts) {
    if (a.outcome != ReachOutcome::reached) continue;
    if (result.breach) result.detail += "; ";
    result.breach = true;
    result.detail += a.detail;
  }
  if (!result.breach) {
    result.detail = "none of " + std::to_string(result.attempts.size()) + " attempts got through";
  }
  return result;
}

}  // namespace netwarden
