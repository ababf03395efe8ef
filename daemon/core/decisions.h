// What one call into the incident engine decided, for the shell to carry out.
//
// The shell writes `incidents`, `events` and `windows` in one transaction
// and only then hands `notifications` to the notifier ("write first, act
// after"), so a crash between the two loses no record and at worst resends.
// Plain data.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "daemon/core/incident.h"

namespace netwarden {

// One ledger entry. `details` is flat and ordered so that its canonical
// form (for the ledger's hash chain) is simply the map in key order.
struct Event {
  std::string type;         // "opened", "step_fired", "threshold_crossed", ... (see incident_engine.h)
  IncidentId incident = 0;  // 0: not about one incident (e.g. maintenance_declared)
  std::string target;
  Time at;
  std::string actor;  // who acted; "" for the engine itself
  std::map<std::string, std::string> details;
};

// Why someone is told, structured so that a notifier can word it in each
// language.
struct NotifyReason {
  enum class What { step, repeat, threshold_warning, threshold, harmful_content, resolved };
  What what = What::step;
  int step = 0;      // 1-based; for step and repeat
  Duration left{0};  // for threshold_warning: time left before the line

  // "step 2", "repeat of step 1", "1h left", "threshold", "harmful content", "resolved"
  std::string text() const;
  bool operator==(const NotifyReason&) const = default;
};

// One message to one person about one incident. Everything that fell due
// for that person in one call is merged here, so nobody gets a burst.
struct Notification {
  IncidentId incident = 0;
  std::string person;                 // a Person id
  std::vector<NotifyReason> reasons;  // in the order they fell due
  bool late = false;                  // something in it fell due while the daemon was down

  // "harmful content, step 1": the reasons' texts, for the ledger and `show`.
  std::string reasons_text() const;
};

struct Decisions {
  std::vector<Incident> incidents;          // changed ones, final state, each once, by id
  std::vector<Event> events;                // in the order they happened
  std::vector<Notification> notifications;  // by incident id, then in the order people became due
  std::vector<MaintenanceWindow> windows;   // declared in this call, to be stored

  bool empty() const { return incidents.empty() && events.empty() && notifications.empty() && windows.empty(); }
};

// Appends what a later call decided to `into`, keeping its promises: each
// incident once (in its latest state), events in order, and one message per
// person per incident (a later call's reasons join the earlier message).
void merge(Decisions& into, Decisions later);

}  // namespace netwarden
