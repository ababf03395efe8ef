#include "daemon/core/decision_builder.h"

#include <algorithm>

#include "daemon/core/recipients.h"

namespace netwarden {

std::string detail_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

void DecisionBuilder::closed(const Incident& incident) {
  changed_.insert(incident.id);
  closed_[incident.id] = incident;
}

Event& DecisionBuilder::event(std::string type, const Incident* incident, std::string target, std::string actor) {
  Event& e = events_.emplace_back();
  e.type = std::move(type);
  e.incident = incident ? incident->id : 0;
  e.target = std::move(target);
  e.at = now_;
  e.actor = std::move(actor);
  return e;
}

void DecisionBuilder::notify(Incident& incident, const std::vector<std::string>& people, NotifyReason reason,
                             bool late) {
  for (const auto& person : people) {
    auto it = std::find_if(notifications_.begin(), notifications_.end(),
                           [&](const Notification& n) { return n.incident == incident.id && n.person == person; });
    if (it == notifications_.end()) {
      it = notifications_.insert(notifications_.end(), Notification{incident.id, person, {}, false});
    }
    if (std::find(it->reasons.begin(), it->reasons.end(), reason) == it->reasons.end()) it->reasons.push_back(reason);
    it->late = it->late || late;
  }
  add_distinct(incident.notified, people);
  changed(incident);
}

Decisions DecisionBuilder::finish(const std::map<IncidentId, Incident>& open) {
  Decisions d;
  for (IncidentId id : changed_) {
    auto it = closed_.find(id);
    d.incidents.push_back(it != closed_.end() ? it->second : open.at(id));
  }
  std::stable_sort(notifications_.begin(), notifications_.end(),
                   [](const Notification& a, const Notification& b) { return a.incident < b.incident; });
  // The ledger records each message as sent to whom, why and whether late.
  for (const auto& n : notifications_) {
    auto& e = events_.emplace_back();
    e.type = "notified";
    e.incident = n.incident;
    // notify() marked the incident changed, so it is among d.incidents.
    e.target = std::find_if(d.incidents.begin(), d.incidents.end(), [&](const Incident& i) {
                 return i.id == n.incident;
               })->target;
    e.at = now_;
    e.details = {{"person", n.person}, {"reasons", n.reasons_text()}, {"late", detail_flag(n.late)}};
  }
  d.events = std::move(events_);
  d.notifications = std::move(notifications_);
  d.windows = std::move(windows_);
  return d;
}

}  // namespace netwarden
