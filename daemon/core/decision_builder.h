// Collects what one engine call decides and hands it over as Decisions:
// changed incidents in their final state, events in order, and
// notifications merged to one per person per incident.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "daemon/core/decisions.h"

namespace netwarden {

// How event details spell a list of ids ("a,b") and a flag ("true").
std::string detail_list(const std::vector<std::string>& ids);
inline std::string detail_flag(bool b) { return b ? "true" : "false"; }

class DecisionBuilder {
 public:
  explicit DecisionBuilder(Time now) : now_(now) {}

  Time now() const { return now_; }

  void changed(const Incident& incident) { changed_.insert(incident.id); }
  // A resolved incident leaves the engine; its final state is kept here.
  void closed(const Incident& incident);
  void window(const MaintenanceWindow& w) { windows_.push_back(w); }
  Event& event(std::string type, const Incident* incident, std::string target, std::string actor = "");
  // Adds `reason` to each person's message about `incident` and records
  // them as told.
  void notify(Incident& incident, const std::vector<std::string>& people, NotifyReason reason, bool late);

  // `open` holds the incidents still open, by id.
  Decisions finish(const std::map<IncidentId, Incident>& open);

 private:
  Time now_;
  std::set<IncidentId> changed_;
  std::map<IncidentId, Incident> closed_;
  std::vector<Event> events_;
  std::vector<Notification> notifications_;
  std::vector<MaintenanceWindow> windows_;
};

}  // namespace netwarden
