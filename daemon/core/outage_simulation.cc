#include "daemon/core/outage_simulation.h"

#include <algorithm>
#include <set>

#include "daemon/core/incident_engine.h"
#include "daemon/core/recipients.h"

namespace netwarden {

namespace {

// Every moment something can fall due, up to `horizon` after `start`.
std::set<Time> due_times(const WebTarget& target, const Chain* chain, const IncidentSettings& rules, Time start,
                         Time confirmed, Time horizon) {
  std::set<Time> out{start + target.threshold};
  for (Duration left : rules.threshold_warnings) {
    if (left < target.threshold) out.insert(start + target.threshold - left);
  }
  for (const auto& step : chain ? chain->steps : std::vector<ChainStep>{}) {
    const Time fired = std::max(start + step.after, confirmed);
    out.insert(fired);
    if (!step.repeat || step.repeat->count() <= 0) continue;
    for (Time t = fired + *step.repeat; t <= horizon; t += *step.repeat) out.insert(t);
  }
  return out;
}

// Adds who was told what at `at`, one entry per (offset, reason).
void add_entries(OutageTimeline& timeline, const Decisions& d, Duration offset) {
  for (const auto& n : d.notifications) {
    for (const auto& reason : n.reasons) {
      auto entry = std::find_if(timeline.entries.begin(), timeline.entries.end(),
                                [&](const TimelineEntry& e) { return e.offset == offset && e.reason == reason; });
      if (entry == timeline.entries.end()) {
        entry = timeline.entries.insert(timeline.entries.end(), TimelineEntry{offset, reason, {}});
      }
      entry->people.push_back(n.person);
    }
  }
}

// People in chain order (the order a reader checks the config in), not the
// order messages happened to be merged in.
void sort_people_by_chain(OutageTimeline& timeline, const Config& config, const WebTarget& target, const Chain* chain) {
  std::vector<std::string> chain_order;
  for (const auto& step : chain ? chain->steps : std::vector<ChainStep>{}) {
    add_distinct(chain_order, step_recipients(config, target.unit, step));
  }
  auto rank = [&](const std::string& person) {
    return std::find(chain_order.begin(), chain_order.end(), person) - chain_order.begin();
  };
  for (auto& entry : timeline.entries) {
    std::stable_sort(entry.people.begin(), entry.people.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  }
}

// A check that fails in the way `kind` is about.
Observation failing_check(const std::string& target, IncidentKind kind) {
  Observation o;
  o.target = target;
  o.reason = "simulated";
  o.content_seen = kind != IncidentKind::site_down && kind != IncidentKind::cloaking;
  switch (kind) {
    case IncidentKind::site_down: o.down = true; break;
    case IncidentKind::content_changed: o.text_changed = true; break;
    case IncidentKind::harmful_content: o.harmful = {"simulated"}; break;
    case IncidentKind::hidden_link: o.hidden_links = {{"http://simulated.example/", "simulated"}}; break;
    case IncidentKind::malicious_code: o.foreign_code = {{"http://simulated.example/x.js", "simulated"}}; break;
    case IncidentKind::privacy_leak: o.personal_data = {{"id_number", 3, {"110105********123X"}}}; break;
    case IncidentKind::cloaking:
      o.cloaking_seen = true;
      o.cloaking_variant = "Baiduspider";
      o.cloaking_difference = "simulated";
      break;
    default: break;
  }
  return o;
}

}  // namespace

bool simulatable(IncidentKind kind) {
  return kind != IncidentKind::tls_problem && kind != IncidentKind::isolation_breach &&
         kind != IncidentKind::monitor_degraded;
}

Result<OutageTimeline> simulate_outage(const Config& config, const std::string& target_id, IncidentKind kind) {
  if (!simulatable(kind)) return fail(std::string(to_string(kind)) + " incidents cannot be simulated");
  auto target =
      std::find_if(config.targets.begin(), config.targets.end(), [&](const WebTarget& t) { return t.id == target_id; });
  if (target == config.targets.end()) return fail("no target " + target_id);
  auto chain_it = config.chains.find(target->chain);
  const Chain* chain = chain_it == config.chains.end() ? nullptr : &chain_it->second;

  // A simulated outage of the reference target would show monitor_degraded,
  // and a declared window would hide it; the dry run is about the chain.
  Config plain = config;
  plain.maintenance.clear();
  for (auto& t : plain.targets) t.reference = false;

  const Time start{};
  OutageTimeline timeline;
  timeline.threshold = target->threshold;
  IncidentEngine engine(plain, EngineState{}, start);

  Observation failing = failing_check(target_id, kind);
  Time at = start;
  while (engine.open_incidents().empty()) {
    failing.at = at;
    add_entries(timeline, engine.observe(failing, at), at - start);
    if (engine.open_incidents().empty()) at += target->interval;
  }
  timeline.confirmed_after = at - start;

  Time horizon = start + target->threshold;
  if (chain && !chain->steps.empty()) horizon = std::max(horizon, start + chain->steps.back().after);
  for (Time t : due_times(*target, chain, plain.incidents, start, at, horizon)) {
    if (t > at && t <= horizon) add_entries(timeline, engine.tick(t), t - start);
  }
  sort_people_by_chain(timeline, config, *target, chain);
  return timeline;
}

}  // namespace netwarden
