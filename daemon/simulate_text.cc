#include "daemon/simulate_text.h"

#include <algorithm>

#include "daemon/core/incident_policy.h"
#include "daemon/core/outage_simulation.h"

namespace netwarden {

namespace {

std::string person_text(const Config& config, const std::string& id) {
  auto it = config.people.find(id);
  if (it == config.people.end()) return id;
  return it->second.name + " <" + it->second.email + ">";
}

std::string line(Duration offset, const std::string& what, const std::string& who) {
  std::string out = "  +" + format_duration(offset);
  out.resize(std::max<std::size_t>(out.size() + 1, 13), ' ');
  out += what;
  if (!who.empty()) {
    out.resize(std::max<std::size_t>(out.size() + 1, 36), ' ');
    out += who;
  }
  return out + "\n";
}

}  // namespace

Result<std::string> simulate_text(const Config& config, const std::string& target, IncidentKind kind) {
  auto timeline = simulate_outage(config, target, kind);
  if (!timeline) return std::unexpected(timeline.error());
  const auto& t =
      *std::find_if(config.targets.begin(), config.targets.end(), [&](const WebTarget& w) { return w.id == target; });
  std::string out =
      (kind == IncidentKind::site_down ? "An outage of " : "A " + std::string(to_string(kind)) + " incident on ") +
      t.name + " (" + t.id + ", " + t.url + "), unit " + t.unit + ", chain " + t.chain + ", checked every " +
      format_duration(t.interval) + ":\n";
  out += line(Duration{0}, "first failing check", "");
  out += line(timeline->confirmed_after, "incident opens", "");
  bool threshold_shown = false;
  for (const auto& entry : timeline->entries) {
    if (!threshold_shown && entry.offset >= timeline->threshold) {
      out += line(timeline->threshold, "--- threshold " + format_duration(timeline->threshold) + " ---", "");
      threshold_shown = true;
    }
    std::string who;
    for (const auto& id : entry.people) who += (who.empty() ? "" : ", ") + person_text(config, id);
    out += line(entry.offset, entry.reason.text(), who);
  }
  if (!threshold_shown) {
    out += line(timeline->threshold, "--- threshold " + format_duration(timeline->threshold) + " ---", "");
  }
  if (is_page_evidence_kind(kind) && kind != IncidentKind::harmful_content) {
    out += "With a harmful keyword in its evidence it goes to the top of the chain at once, as harmful_content does.\n";
  }
  return out;
}

}  // namespace netwarden
