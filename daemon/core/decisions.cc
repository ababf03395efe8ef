#include "daemon/core/decisions.h"

#include <algorithm>
#include <iterator>

namespace netwarden {

std::string NotifyReason::text() const {
  switch (what) {
    case What::step: return "step " + std::to_string(step);
    case What::repeat: return "repeat of step " + std::to_string(step);
    case What::threshold_warning: return format_duration(left) + " left";
    case What::threshold: return "threshold";
    case What::harmful_content: return "harmful content";
    case What::resolved: return "resolved";
  }
  return "";
}

std::string Notification::reasons_text() const {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : ", ") + r.text();
  return out;
}

void merge(Decisions& into, Decisions later) {
  for (auto& incident : later.incidents) {
    auto same = std::find_if(into.incidents.begin(), into.incidents.end(),
                             [&](const Incident& i) { return i.id == incident.id; });
    if (same != into.incidents.end()) {
      *same = std::move(incident);
    } else {
      into.incidents.push_back(std::move(incident));
    }
  }
  std::move(later.events.begin(), later.events.end(), std::back_inserter(into.events));
  std::move(later.windows.begin(), later.windows.end(), std::back_inserter(into.windows));
  for (auto& n : later.notifications) {
    auto same = std::find_if(into.notifications.begin(), into.notifications.end(),
                             [&](const Notification& m) { return m.incident == n.incident && m.person == n.person; });
    if (same == into.notifications.end()) {
      into.notifications.push_back(std::move(n));
      continue;
    }
    for (auto& reason : n.reasons) {
      if (std::find(same->reasons.begin(), same->reasons.end(), reason) == same->reasons.end()) {
        same->reasons.push_back(reason);
      }
    }
    same->late = same->late || n.late;
  }
}

}  // namespace netwarden
