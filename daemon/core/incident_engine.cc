#include "daemon/core/incident_engine.h"

#include <algorithm>

#include "daemon/core/decision_builder.h"
#include "daemon/core/escalation.h"
#include "daemon/core/recipients.h"

namespace netwarden {

struct IncidentEngine::Owner {
  std::string unit;
  const Chain* chain = nullptr;
  bool critical = false;
  bool reference = false;
  Duration threshold = std::chrono::hours(3);
  std::optional<Duration> quiet_period;  // pcap watches: resolves after this long without breach traffic
};

namespace {

constexpr IncidentKind kObservedKinds[] = {IncidentKind::site_down,       IncidentKind::content_changed,
                                           IncidentKind::harmful_content, IncidentKind::tls_problem,
                                           IncidentKind::hidden_link,     IncidentKind::malicious_code,
                                           IncidentKind::cloaking,        IncidentKind::privacy_leak};

// What a crawl of inner pages and attachments can find.
constexpr IncidentKind kCrawlKinds[] = {IncidentKind::harmful_content, IncidentKind::hidden_link,
                                        IncidentKind::malicious_code, IncidentKind::privacy_leak};

// An incident's detail stays short enough for a subject line's neighbour
// and a ledger row: the first few findings and how many more there are.
constexpr std::size_t kFindingsInDetail = 5;

// The first few items, each as `describe` puts it, and how many more there are.
template <class Finding, class Describe>
std::string first_few(const std::vector<Finding>& findings, Describe describe) {
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < findings.size() && i < kFindingsInDetail; ++i) shown.push_back(describe(findings[i]));
  std::string out = comma_list(shown);
  if (findings.size() > kFindingsInDetail) {
    out += " and " + std::to_string(findings.size() - kFindingsInDetail) + " more";
  }
  return out;
}

// " on URL" for a crawled page's finding; "" on the watched page.
std::string on_page(const std::string& page) { return page.empty() ? "" : " on " + page; }

std::string findings_text(const std::vector<PageFinding>& findings) {
  return first_few(findings, [](const PageFinding& f) {
    return f.what + " (" + f.why + (f.text.empty() ? "" : ", text \"" + f.text + "\"") + ")" + on_page(f.page);
  });
}

// "id_number 3 (110105********123X, ...)": each kind, its count, masked examples.
std::string personal_data_text(const std::vector<PersonalDataFinding>& findings) {
  return first_few(findings, [](const PersonalDataFinding& f) {
    return f.kind + " " + std::to_string(f.count) + " (" + comma_list(f.examples) + ")" + on_page(f.page);
  });
}

// "博彩 (gambling), rumour": each word with its category when it has one;
// a crawl's, each with the page it is on.
std::string harmful_text(const Observation& obs) {
  if (obs.subject == kCrawlSubject) {
    return first_few(obs.harmful_hits, [](const KeywordHit& h) {
      return h.keyword + (h.category.empty() ? "" : " (" + h.category + ")") + on_page(h.page);
    });
  }
  std::vector<std::string> words;
  for (const std::string& w : obs.harmful) {
    auto hit = std::find_if(obs.harmful_hits.begin(), obs.harmful_hits.end(),
                            [&](const KeywordHit& h) { return h.keyword == w; });
    words.push_back(hit == obs.harmful_hits.end() || hit->category.empty() ? w : w + " (" + hit->category + ")");
  }
  return detail_list(words);
}

// The highest severity a matched keyword's category names, if any.
std::optional<Severity> keyword_severity(const Observation& obs) {
  std::optional<Severity> highest;
  for (const KeywordHit& hit : obs.harmful_hits) {
    if (auto s = parse_severity(hit.severity); s && (!highest || *s > *highest)) highest = s;
  }
  return highest;
}

// Whether the evidence of a page-evidence incident holds a harmful keyword:
// then it goes to the top of the chain at once, as harmful content does.
bool keyword_in_evidence(const Observation& obs, IncidentKind kind) {
  switch (kind) {
    case IncidentKind::harmful_content: return true;
    case IncidentKind::hidden_link: return carries_keyword(obs.hidden_links, obs.harmful);
    case IncidentKind::malicious_code: return carries_keyword(obs.foreign_code, obs.harmful);
    case IncidentKind::cloaking: return obs.cloaking_keyword;
    default: return false;
  }
}

struct Cause {
  std::string reason;
  std::string detail;
};

// What a failing observation says about one kind of incident.
Cause cause(const Observation& obs, IncidentKind kind) {
  switch (kind) {
    case IncidentKind::content_changed:
      // A blind spot names itself: "region_empty: //div[@id='news']".
      if (!obs.blind_spot.empty()) return {obs.blind_spot.substr(0, obs.blind_spot.find(':')), obs.blind_spot};
      if (obs.text_changed && obs.structure_changed) return {"text_changed", "text and structure changed"};
      if (obs.text_changed) return {"text_changed", "text changed"};
      return {"structure_changed", "structure changed"};
    case IncidentKind::harmful_content: return {"harmful_words", harmful_text(obs)};
    case IncidentKind::hidden_link: return {"hidden_links", findings_text(obs.hidden_links)};
    case IncidentKind::malicious_code: return {"foreign_code", findings_text(obs.foreign_code)};
    case IncidentKind::cloaking: return {"cloaking", "as " + obs.cloaking_variant + ": " + obs.cloaking_difference};
    case IncidentKind::privacy_leak: return {"personal_data", personal_data_text(obs.personal_data)};
    case IncidentKind::tls_problem: return {"tls", obs.tls_detail};
    default: return {obs.reason, obs.detail};
  }
}

}  // namespace

// The config and what it says about each target, shared by every copy of
// an engine: copies are how the shell tries a decision before believing it.
struct IncidentEngine::Rules {
  explicit Rules(Config c) : config(std::move(c)) {
    auto chain = [this](const std::string& id) -> const Chain* {
      auto it = config.chains.find(id);
      return it == config.chains.end() ? nullptr : &it->second;
    };
    for (const auto& t : config.targets) {
      owners.emplace(t.id, Owner{t.unit, chain(t.chain), t.critical, t.reference, t.threshold, std::nullopt});
    }
    for (const auto& w : config.isolation) {
      owners.emplace(w.id, Owner{w.unit, chain(w.chain), false, false, std::chrono::hours(3),
                                 w.kind == "pcap" ? std::optional<Duration>(w.quiet_period) : std::nullopt});
    }
  }
  Config config;
  std::map<std::string, Owner> owners;  // by target or watch id
};

IncidentEngine::IncidentEngine(Config config, EngineState state, Time resumed_at)
    : rules_(std::make_shared<const Rules>(std::move(config))),
      next_id_(state.next_id),
      windows_(std::move(state.windows)),
      resumed_at_(resumed_at) {
  for (auto& incident : state.open) {
    next_id_ = std::max(next_id_, incident.id + 1);
    open_.emplace(incident.id, std::move(incident));
  }
}

const Config& IncidentEngine::config() const { return rules_->config; }

const IncidentEngine::Owner* IncidentEngine::owner(const std::string& target) const {
  auto it = rules_->owners.find(target);
  return it == rules_->owners.end() ? nullptr : &it->second;
}

void IncidentEngine::resume_at(Time at) { resumed_at_ = std::max(resumed_at_, at); }

Incident* IncidentEngine::find_open(const std::string& target, IncidentKind kind, const std::string& subject) {
  for (auto& [id, incident] : open_) {
    if (incident.target == target && incident.kind == kind && incident.subject == subject) return &incident;
  }
  return nullptr;
}

bool IncidentEngine::silenced(const std::string& target, IncidentKind kind, Time at) const {
  const bool planned_work_may_cause =
      kind == IncidentKind::site_down || kind == IncidentKind::content_changed || kind == IncidentKind::tls_problem;
  return planned_work_may_cause && std::any_of(windows_.begin(), windows_.end(), [&](const MaintenanceWindow& w) {
           return w.target == target && w.from <= at && at < w.to;
         });
}

Decisions IncidentEngine::observe(const Observation& obs, Time now) {
  DecisionBuilder out(now);
  if (owner(obs.target)) {
    auto judge = [](bool seen, bool failing) {
      return !seen ? Signal::unknown : failing ? Signal::failing : Signal::healthy;
    };
    for (IncidentKind kind : kObservedKinds) {
      Signal s = Signal::unknown;
      switch (kind) {
        case IncidentKind::site_down: s = judge(true, obs.down); break;
        case IncidentKind::content_changed:
          s = judge(obs.content_seen, obs.text_changed || obs.structure_changed || !obs.blind_spot.empty());
          break;
        case IncidentKind::harmful_content: s = judge(obs.content_seen, !obs.harmful.empty()); break;
        case IncidentKind::hidden_link: s = judge(obs.content_seen, !obs.hidden_links.empty()); break;
        case IncidentKind::malicious_code: s = judge(obs.content_seen, !obs.foreign_code.empty()); break;
        case IncidentKind::cloaking: s = judge(obs.cloaking_seen, !obs.cloaking_variant.empty()); break;
        case IncidentKind::privacy_leak: s = judge(obs.content_seen, !obs.personal_data.empty()); break;
        case IncidentKind::tls_problem: s = judge(obs.tls_seen, obs.tls_problem); break;
        default: break;
      }
      apply(obs, kind, s, out);
    }
  }
  advance_all(out);
  return out.finish(open_);
}

// A crawl's findings need no confirmation: the pages were fetched and read.
// An incident lists every page of its kind and is brought up to date by each
// report; only a complete crawl that found nothing of its kind resolves it,
// whatever the watched page's checks say (they are another subject).
Decisions IncidentEngine::observe_crawl(const CrawlReport& report, Time now) {
  DecisionBuilder out(now);
  if (const Owner* who = owner(report.target)) {
    const Observation obs = observation_from(report);
    for (IncidentKind kind : kCrawlKinds) {
      const bool failing = kind == IncidentKind::harmful_content  ? !obs.harmful.empty()
                           : kind == IncidentKind::hidden_link    ? !obs.hidden_links.empty()
                           : kind == IncidentKind::malicious_code ? !obs.foreign_code.empty()
                                                                  : !obs.personal_data.empty();
      Incident* incident = find_open(obs.target, kind, obs.subject);
      if (!failing) {
        if (incident != nullptr && report.complete) close(*incident, obs.at, "", "recovered", "", out);
      } else if (incident != nullptr) {
        update_cause(*incident, obs, kind, out);
      } else if (!silenced(obs.target, kind, obs.at)) {
        open_incident(obs, kind, *who, obs.at, out);
      }
    }
  }
  advance_all(out);
  return out.finish(open_);
}

Decisions IncidentEngine::observe_isolation(const IsolationObservation& obs, Time now) {
  DecisionBuilder out(now);
  if (const Owner* who = owner(obs.watch)) {
    if (who->quiet_period) {
      if (obs.breach) note_breach(obs, *who, out);
    } else {
      Observation o;
      o.at = obs.last_seen;
      o.target = obs.watch;
      o.reason = obs.breach ? "reached" : "";
      o.detail = obs.detail;
      apply(o, IncidentKind::isolation_breach, obs.breach ? Signal::failing : Signal::healthy, out);
    }
  }
  advance_all(out);
  return out.finish(open_);
}

// A pcap breach needs no confirmation: the traffic itself is the proof.
// Further reports move last_seen on and refresh the destinations.
void IncidentEngine::note_breach(const IsolationObservation& obs, const Owner& who, DecisionBuilder& out) {
  Incident* incident = find_open(obs.watch, IncidentKind::isolation_breach, obs.host);
  if (incident == nullptr) {
    Observation o;
    o.at = obs.last_seen;
    o.target = obs.watch;
    o.subject = obs.host;
    o.reason = "breach";
    o.detail = obs.detail;
    open_incident(o, IncidentKind::isolation_breach, who, obs.first_seen, out);
    incident = find_open(obs.watch, IncidentKind::isolation_breach, obs.host);
    incident->evidence = obs.evidence;
  } else if (incident->detail != obs.detail || incident->last_seen < obs.last_seen) {
    incident->detail = obs.detail;
  } else {
    return;
  }
  incident->last_seen = std::max(incident->last_seen.value_or(obs.last_seen), obs.last_seen);
  out.changed(*incident);
}

Decisions IncidentEngine::tick(Time now) {
  DecisionBuilder out(now);
  advance_all(out);
  return out.finish(open_);
}

void IncidentEngine::apply(const Observation& obs, IncidentKind kind, Signal signal, DecisionBuilder& out) {
  if (signal == Signal::unknown) return;
  const Owner& who = *owner(obs.target);
  if (who.reference && kind == IncidentKind::site_down) kind = IncidentKind::monitor_degraded;
  const StreakKey key{obs.target, kind, obs.subject};
  Incident* incident = find_open(obs.target, kind, obs.subject);

  if (signal == Signal::healthy) {
    streaks_.erase(key);
    if (incident == nullptr) return;
    if (!incident->healthy_since) {
      incident->healthy_since = obs.at;
      out.changed(*incident);
    }
    if (obs.at - *incident->healthy_since >= config().incidents.recovery_window) {
      close(*incident, *incident->healthy_since, "", "recovered", "", out);
    }
    return;
  }

  if (incident != nullptr) {
    update_cause(*incident, obs, kind, out);
    return;
  }
  // A failure inside a window, or while the monitor itself cannot see out,
  // says nothing about the site: it neither opens nor starts a streak.
  if (silenced(obs.target, kind, obs.at)) {
    streaks_.erase(key);
    return;
  }
  if (kind == IncidentKind::site_down) {
    auto degraded = std::find_if(open_.begin(), open_.end(),
                                 [](const auto& e) { return e.second.kind == IncidentKind::monitor_degraded; });
    if (degraded != open_.end()) {
      streaks_.erase(key);
      Incident& monitor = degraded->second;
      if (std::find(monitor.suppressed.begin(), monitor.suppressed.end(), obs.target) == monitor.suppressed.end()) {
        monitor.suppressed.push_back(obs.target);
        out.changed(monitor);
        out.event("suppressed", &monitor, monitor.target).details = {{"suppressed_target", obs.target},
                                                                     {"reason", obs.reason}};
      }
      return;
    }
  }
  // Only failing streaks are kept, so copying the engine stays cheap.
  Streak& streak = streaks_[key];
  if (streak.failures++ == 0) streak.first_at = obs.at;
  if (streak.failures >= confirmations_needed(config().incidents, kind)) {
    open_incident(obs, kind, who, streak.first_at, out);
    streaks_.erase(key);
  }
}

// A failure during the recovery window cancels the recovery; the outage
// clock keeps running from started_at.
void IncidentEngine::update_cause(Incident& incident, const Observation& obs, IncidentKind kind, DecisionBuilder& out) {
  Cause now = cause(obs, kind);
  if (incident.healthy_since || incident.reason != now.reason || incident.detail != now.detail) {
    incident.healthy_since.reset();
    incident.reason = std::move(now.reason);
    incident.detail = std::move(now.detail);
    out.changed(incident);
  }
}

void IncidentEngine::open_incident(const Observation& obs, IncidentKind kind, const Owner& who, Time started_at,
                                   DecisionBuilder& out) {
  Incident incident;
  incident.id = next_id_++;
  incident.kind = kind;
  incident.target = obs.target;
  incident.subject = obs.subject;
  incident.severity = opening_severity(config().incidents, kind, who.critical,
                                       kind == IncidentKind::harmful_content ? keyword_severity(obs) : std::nullopt);
  auto [reason, detail] = cause(obs, kind);
  incident.reason = std::move(reason);
  incident.detail = std::move(detail);
  incident.started_at = started_at;
  incident.detected_at = obs.at;
  incident.steps.resize(who.chain ? who.chain->steps.size() : 0);
  Incident& stored = open_.emplace(incident.id, std::move(incident)).first->second;
  out.changed(stored);
  Event& opened = out.event("opened", &stored, stored.target);
  opened.details = {{"kind", std::string(to_string(kind))},
                    {"severity", std::string(to_string(stored.severity))},
                    {"reason", stored.reason},
                    {"detail", stored.detail},
                    {"started_at", format_utc(started_at)}};
  if (!stored.subject.empty()) opened.details[stored.subject == kCrawlSubject ? "subject" : "host"] = stored.subject;
  if (keyword_in_evidence(obs, kind) && who.chain && !who.chain->steps.empty()) {
    auto top = step_recipients(config(), who.unit, who.chain->steps.back());
    out.event("top_notified", &stored, stored.target).details = {{"recipients", detail_list(top)}};
    out.notify(stored, top, {NotifyReason::What::harmful_content}, false);
  }
}

void IncidentEngine::close(Incident& incident, Time resolved_at, const std::string& actor, const std::string& how,
                           const std::string& note, DecisionBuilder& out) {
  incident.resolved_at = resolved_at;
  incident.resolved_by = actor;
  out.event("resolved", &incident, incident.target, actor).details = {
      {"how", how},
      {"note", note},
      {"resolved_at", format_utc(resolved_at)},
      {"duration", format_duration(resolved_at - incident.started_at)},
      {"threshold_crossed", detail_flag(incident.threshold_at.has_value())}};
  out.notify(incident, incident.notified, {NotifyReason::What::resolved}, false);
  out.closed(incident);
  const IncidentId id = incident.id;  // the key must outlive the element it erases
  open_.erase(id);
}

void IncidentEngine::advance_all(DecisionBuilder& out) {
  // Breaches whose host has gone quiet resolve first, as of their last
  // packet; close() erases from open_, so they are gathered before.
  std::vector<IncidentId> quiet;
  for (const auto& [id, incident] : open_) {
    const Owner* who = incident.last_seen ? owner(incident.target) : nullptr;
    if (who && who->quiet_period && out.now() - *incident.last_seen >= *who->quiet_period) quiet.push_back(id);
  }
  for (IncidentId id : quiet) {
    Incident& incident = open_.at(id);
    close(incident, *incident.last_seen, "", "quiet", "", out);
  }
  for (auto& [id, incident] : open_) advance(incident, out);
}

void IncidentEngine::advance(Incident& incident, DecisionBuilder& out) {
  // While it looks recovered nothing escalates; if it fails again, what
  // fell due meanwhile fires then (the clock never restarted).
  if (incident.healthy_since) return;
  const Owner* who = owner(incident.target);
  if (who == nullptr) return;
  const std::vector<ChainStep> no_steps;
  std::optional<Duration> threshold;
  if (has_threshold(incident.kind)) threshold = who->threshold;
  escalate(incident,
           EscalationContext{config(), who->unit, who->chain ? who->chain->steps : no_steps, threshold,
                             config().incidents.threshold_warnings, resumed_at_},
           out);
}

Result<Incident*> IncidentEngine::find_for_control(IncidentId id) {
  auto it = open_.find(id);
  if (it != open_.end()) return &it->second;
  if (id >= 1 && id < next_id_) return fail("incident " + std::to_string(id) + " is not open");
  return fail("no incident " + std::to_string(id));
}

Result<Decisions> IncidentEngine::acknowledge(IncidentId id, const std::string& actor, const std::string& note,
                                              Time now) {
  auto found = find_for_control(id);
  if (!found) return std::unexpected(found.error());
  Incident& incident = **found;
  if (incident.acknowledged_at) {
    return fail("incident " + std::to_string(id) + " was already acknowledged by " + incident.acknowledged_by + " at " +
                format_utc(*incident.acknowledged_at));
  }
  DecisionBuilder out(now);
  incident.acknowledged_at = now;
  incident.acknowledged_by = actor;
  out.changed(incident);
  out.event("acknowledged", &incident, incident.target, actor).details = {{"note", note}};
  advance_all(out);
  return out.finish(open_);
}

Result<Decisions> IncidentEngine::resolve(IncidentId id, const std::string& actor, const std::string& note, Time now) {
  auto found = find_for_control(id);
  if (!found) return std::unexpected(found.error());
  Incident& incident = **found;
  if (!manually_resolvable(incident.kind)) {
    return fail("incident " + std::to_string(id) + " (" + std::string(to_string(incident.kind)) +
                ") cannot be resolved by hand: approve the content (approve " + incident.target +
                ") or wait until it goes away");
  }
  DecisionBuilder out(now);
  close(incident, now, actor, "manual", note, out);
  advance_all(out);
  return out.finish(open_);
}

Result<Decisions> IncidentEngine::approve(const std::string& target, const std::string& actor, const std::string& note,
                                          Time now) {
  if (!owner(target)) return fail("no target " + target);
  DecisionBuilder out(now);
  Incident* incident = find_open(target, IncidentKind::content_changed);
  out.event("approved", incident, target, actor).details = {{"note", note}};
  if (incident) close(*incident, now, actor, "approved", note, out);
  streaks_.erase({target, IncidentKind::content_changed, ""});
  advance_all(out);
  return out.finish(open_);
}

Result<Decisions> IncidentEngine::declare_maintenance(MaintenanceWindow window, const std::string& actor, Time now) {
  bool web_target = std::any_of(config().targets.begin(), config().targets.end(),
                                [&](const WebTarget& t) { return t.id == window.target; });
  if (!web_target) return fail("no target " + window.target);
  if (window.to <= window.from) return fail("a maintenance window must end after it starts");
  if (window.to <= now) return fail("a maintenance window cannot lie in the past");
  window.from = std::max(window.from, now);
  window.declared_by = actor;
  DecisionBuilder out(now);
  out.event("maintenance_declared", nullptr, window.target, actor).details = {
      {"from", format_utc(window.from)}, {"to", format_utc(window.to)}, {"reason", window.reason}};
  windows_.push_back(window);
  out.window(window);
  advance_all(out);
  return out.finish(open_);
}

}  // namespace netwarden
