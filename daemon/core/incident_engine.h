// The incident engine: a state machine fed observations, control actions and
// the time, returning Decisions (docs/design.md §2 "Incident semantics").
//
// Pure: no I/O and no clock. Every call takes `now`; every call first
// applies its own change and then brings every open incident up to `now`
// (chain steps, repeats, threshold warnings, the threshold), so nothing that
// is due is left for later and all of it is merged into one message per
// person per incident.
//
// Restart: build a new engine from the stored open incidents, the next id
// and the maintenance windows, with `resumed_at` = the start time. A step
// already marked fired never fires again; steps, repeats, warnings and a
// threshold that fell due before `resumed_at` fire once, marked late.
// Failing streaks not yet confirmed are not stored: after a restart a target
// needs its confirmations again.
//
// Events it records (Event::type): opened, step_fired, step_skipped, repeat,
// threshold_warning, threshold_crossed, top_notified (harmful content, or a
// hidden link, foreign code or cloaking whose evidence holds a harmful keyword),
// suppressed (on a monitor_degraded incident: a target whose site_down it
// held back), acknowledged, approved, resolved, maintenance_declared,
// notified (one per message).
//
// A value: copying an engine copies its state (open incidents, windows,
// failing streaks) and shares the immutable rules, so the shell can decide
// on a copy and keep it only once the decision is recorded.
//
// Not thread-safe: the shell calls it from one strand.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"
#include "daemon/core/incident_policy.h"
#include "daemon/core/observation.h"

namespace netwarden {

class DecisionBuilder;

// What the store gives back on start.
struct EngineState {
  std::vector<Incident> open;              // incidents not yet resolved
  IncidentId next_id = 1;                  // ids are never reused
  std::vector<MaintenanceWindow> windows;  // from the config and declared ones
};

class IncidentEngine {
 public:
  // The rules come from config.incidents.
  IncidentEngine(Config config, EngineState state, Time resumed_at);

  // One check of one target. Observations of unknown targets are ignored.
  Decisions observe(const Observation& obs, Time now);
  // What an isolation watch found (observation.h). Unknown watches are ignored.
  Decisions observe_isolation(const IsolationObservation& obs, Time now);
  // What a crawl of the target's site found (crawl_report.h); incidents
  // with subject kCrawlSubject. Unknown targets are ignored.
  Decisions observe_crawl(const CrawlReport& report, Time now);
  // Brings every open incident up to `now`.
  Decisions tick(Time now);

  // Errors: no such incident, not open, already acknowledged.
  Result<Decisions> acknowledge(IncidentId id, const std::string& actor, const std::string& note, Time now);
  // Errors: as acknowledge, and kinds that close only by approval or by the
  // content going away (content_changed and the page-evidence kinds).
  Result<Decisions> resolve(IncidentId id, const std::string& actor, const std::string& note, Time now);
  // The target's current content becomes its baseline (the shell stores it);
  // an open content_changed incident is resolved. Errors: unknown target.
  Result<Decisions> approve(const std::string& target, const std::string& actor, const std::string& note, Time now);
  // A window may not be applied retroactively: one that starts before `now`
  // starts at `now`. Errors: unknown target, `to` not after `from`, already over.
  Result<Decisions> declare_maintenance(MaintenanceWindow window, const std::string& actor, Time now);

  // Whatever fell due before `at` and fires from now on is marked late: the
  // shell calls it when decisions could not be recorded for a while.
  void resume_at(Time at);

  const std::map<IncidentId, Incident>& open_incidents() const { return open_; }
  IncidentId next_id() const { return next_id_; }
  const std::vector<MaintenanceWindow>& maintenance_windows() const { return windows_; }

 private:
  struct Owner;  // the unit, chain and rules an incident's target brings
  struct Rules;  // the config and each target's Owner
  struct Streak {
    int failures = 0;
    Time first_at;
  };
  using StreakKey = std::tuple<std::string, IncidentKind, std::string>;  // target, kind, subject
  enum class Signal { unknown, healthy, failing };

  const Config& config() const;
  const Owner* owner(const std::string& target) const;
  void apply(const Observation& obs, IncidentKind kind, Signal signal, DecisionBuilder& out);
  void open_incident(const Observation& obs, IncidentKind kind, const Owner& who, Time started_at,
                     DecisionBuilder& out);
  void update_cause(Incident& incident, const Observation& obs, IncidentKind kind, DecisionBuilder& out);
  void note_breach(const IsolationObservation& obs, const Owner& who, DecisionBuilder& out);
  void close(Incident& incident, Time resolved_at, const std::string& actor, const std::string& how,
             const std::string& note, DecisionBuilder& out);
  void advance(Incident& incident, DecisionBuilder& out);
  void advance_all(DecisionBuilder& out);
  Incident* find_open(const std::string& target, IncidentKind kind, const std::string& subject = "");
  Result<Incident*> find_for_control(IncidentId id);
  // Whether a maintenance window of `target` at `at` keeps `kind` from
  // opening: only what planned work may cause (the site down, its content or
  // certificate changed). Harmful content, hidden links, malicious code,
  // cloaking and leaked personal data open in any window: a defacement
  // during maintenance is still a defacement.
  bool silenced(const std::string& target, IncidentKind kind, Time at) const;

  std::shared_ptr<const Rules> rules_;
  std::map<IncidentId, Incident> open_;
  IncidentId next_id_;
  std::vector<MaintenanceWindow> windows_;
  Time resumed_at_;
  std::map<StreakKey, Streak> streaks_;  // failing streaks only
};

}  // namespace netwarden
