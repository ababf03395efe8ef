#include "daemon/core/escalation.h"

#include <algorithm>

#include "daemon/core/recipients.h"

namespace netwarden {

namespace {

using What = NotifyReason::What;

void advance_steps(Incident& incident, const EscalationContext& c, DecisionBuilder& out) {
  const Time now = out.now();
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const ChainStep& step = c.steps[k];
    StepProgress& progress = incident.steps[k];
    const int number = static_cast<int>(k) + 1;
    if (progress.skipped) continue;
    if (!progress.fired_at) {
      const Time due = incident.started_at + step.after;
      if (now < due) continue;
      out.changed(incident);
      if (step.skip_if_acknowledged && incident.acknowledged_at) {
        progress.skipped = true;
        out.event("step_skipped", &incident, incident.target).details = {{"step", std::to_string(number)}};
        continue;
      }
      progress.fired_at = now;
      const bool late = due < c.resumed_at;
      auto people = step_recipients(c.config, c.unit, step);
      out.event("step_fired", &incident, incident.target).details = {
          {"step", std::to_string(number)}, {"recipients", detail_list(people)}, {"late", detail_flag(late)}};
      out.notify(incident, people, {What::step, number}, late);
      continue;
    }
    if (!step.repeat || incident.acknowledged_at) continue;
    // Repeats missed while the daemon was down are sent once, not made up.
    const auto slots = static_cast<int>((now - *progress.fired_at) / *step.repeat);
    if (slots <= progress.repeats) continue;
    progress.repeats = slots;
    const bool late = *progress.fired_at + *step.repeat * slots < c.resumed_at;
    auto people = step_recipients(c.config, c.unit, step);
    out.event("repeat", &incident, incident.target).details = {{"step", std::to_string(number)},
                                                               {"count", std::to_string(slots)},
                                                               {"recipients", detail_list(people)},
                                                               {"late", detail_flag(late)}};
    out.notify(incident, people, {What::repeat, number}, late);
  }
}

void cross_threshold(Incident& incident, Time line, const EscalationContext& c, DecisionBuilder& out) {
  incident.threshold_at = line;
  incident.severity = raised(incident.severity, 1);
  const bool late = line < c.resumed_at;
  auto top = c.steps.empty() ? std::vector<std::string>{} : step_recipients(c.config, c.unit, c.steps.back());
  out.changed(incident);
  out.event("threshold_crossed", &incident, incident.target).details = {
      {"line", format_utc(line)},
      {"severity", std::string(to_string(incident.severity))},
      {"recipients", detail_list(top)},
      {"late", detail_flag(late)}};
  out.notify(incident, top, {What::threshold}, late);
}

void warn_before_threshold(Incident& incident, Time line, const EscalationContext& c, DecisionBuilder& out) {
  // Of the warnings now due only the nearest to the line is sent: after a
  // restart "1h left" would be untrue when 15 minutes are left.
  std::optional<Duration> nearest;
  for (Duration left : c.warnings) {
    if (left >= *c.threshold || out.now() < line - left) continue;
    auto& sent = incident.warnings_sent;
    if (std::find(sent.begin(), sent.end(), left) != sent.end()) continue;
    sent.push_back(left);
    if (!nearest || left < *nearest) nearest = left;
  }
  if (!nearest) return;
  std::vector<std::string> people;
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    if (incident.steps[k].fired_at) add_distinct(people, step_recipients(c.config, c.unit, c.steps[k]));
  }
  const bool late = line - *nearest < c.resumed_at;
  out.changed(incident);
  out.event("threshold_warning", &incident, incident.target).details = {
      {"left", format_duration(*nearest)}, {"recipients", detail_list(people)}, {"late", detail_flag(late)}};
  out.notify(incident, people, {What::threshold_warning, 0, *nearest}, late);
}

}  // namespace

void escalate(Incident& incident, const EscalationContext& context, DecisionBuilder& out) {
  incident.steps.resize(context.steps.size());
  advance_steps(incident, context, out);
  if (!context.threshold || incident.threshold_at) return;
  const Time line = incident.started_at + *context.threshold;
  if (out.now() >= line) {
    cross_threshold(incident, line, context, out);
  } else {
    warn_before_threshold(incident, line, context, out);
  }
}

}  // namespace netwarden
