// The institution the incident engine tests run against: one unit, the four
// institution roles, a four-step chain with a repeating first step, and a
// few targets (plain, critical, reference). Times are offsets from kT0.
#pragma once

#include <map>

#include "config/config.h"
#include "daemon/core/decisions.h"
#include "daemon/core/observation.h"

namespace netwarden::test {

inline const Time kT0 = from_unix_ms(1'790'000'000'000);
inline Time at(Duration offset) { return kT0 + offset; }

using namespace std::chrono_literals;

// Chain "standard":
//   step 1 at 0   → operator, repeat every 10m
//   step 2 at 30m → security_officer, head
//   step 3 at 2h  → office, leader_in_charge
//   step 4 at 4h  → first_responsible (the top)
inline Config incident_config() {
  Config c;
  for (const char* id : {"op", "sec", "head", "office", "leader", "first"})
    c.people[id] = Person{id, id, "", "zh+en", "", {"email"}};
  c.units["it"] = Unit{"it", "IT", {"head"}, {"sec"}, {"op"}, {}};
  c.institution = InstitutionRoles{{"office"}, {"leader"}, {"first"}, {}, {}};
  Chain chain{"standard", {}};
  chain.steps.push_back(ChainStep{0min, {"operator"}, {}, 10min, false, {}});
  chain.steps.push_back(ChainStep{30min, {"security_officer", "head"}, {}, std::nullopt, false, {}});
  chain.steps.push_back(ChainStep{2h, {"office", "leader_in_charge"}, {}, std::nullopt, false, {}});
  chain.steps.push_back(ChainStep{4h, {"first_responsible"}, {}, std::nullopt, false, {}});
  c.chains["standard"] = chain;
  auto target = [&](std::string id) {
    WebTarget t;
    t.id = id;
    t.url = "https://" + id + ".example.edu.cn/";
    t.unit = "it";
    t.chain = "standard";
    return t;
  };
  c.targets.push_back(target("portal"));
  c.targets.push_back(target("news"));
  c.targets.push_back(target("kii"));
  c.targets.back().critical = true;
  c.targets.push_back(target("gateway"));
  c.targets.back().reference = true;
  auto watch = [&](std::string id, std::string kind) {
    IsolationWatch w;
    w.id = id;
    w.kind = kind;
    w.unit = "it";
    w.chain = "standard";
    return w;
  };
  c.isolation.push_back(watch("lan", "pcap"));  // quiet_period 10m
  c.isolation.push_back(watch("reach", "must_not_reach"));
  c.incidents.threshold_warnings = {1h, 15min};
  return c;
}

inline Observation down(const std::string& target, Duration offset, std::string reason = "timeout") {
  Observation o;
  o.at = at(offset);
  o.target = target;
  o.down = true;
  o.reason = std::move(reason);
  o.detail = "no response";
  return o;
}

// Breach traffic of `host` on pcap watch "lan" between two offsets.
inline IsolationObservation breach(const std::string& host, Duration first, Duration last,
                                   std::string detail = "203.0.113.9:443/tcp") {
  return IsolationObservation{"lan", host, true, at(first), at(last), std::move(detail), "/evidence/" + host + ".pcap"};
}

// One round of must_not_reach checks on watch "reach".
inline IsolationObservation reach_round(bool reached, Duration offset) {
  return IsolationObservation{"reach", "", reached, at(offset), at(offset), reached ? "connected to 1.1.1.1:53" : "",
                              ""};
}

inline Observation up(const std::string& target, Duration offset) {
  Observation o;
  o.at = at(offset);
  o.target = target;
  o.content_seen = true;
  return o;
}

inline Observation changed(const std::string& target, Duration offset) {
  Observation o = up(target, offset);
  o.text_changed = true;
  return o;
}

inline Observation harmful(const std::string& target, Duration offset) {
  Observation o = up(target, offset);
  o.harmful = {"rumour"};
  return o;
}

// A page with a link to another host hidden by CSS; `text` is the link's.
// A hidden link whose words are `text`, `keywords` the harmful ones among them.
inline Observation hidden_link(const std::string& target, Duration offset, std::string text = "more",
                               std::vector<std::string> keywords = {}) {
  Observation o = up(target, offset);
  o.hidden_links = {{.what = "http://bet.example/",
                     .why = "display:none on <div class=\"f\">",
                     .text = std::move(text),
                     .keywords = std::move(keywords)}};
  return o;
}

inline Observation foreign_code(const std::string& target, Duration offset) {
  Observation o = up(target, offset);
  o.foreign_code = {{"http://evil.example/x.js", "host evil.example not allowed"}};
  return o;
}

// A page listing ID numbers; the findings' examples are masked.
inline Observation privacy_leak(const std::string& target, Duration offset) {
  Observation o = up(target, offset);
  o.personal_data = {{"id_number", 3, {"440306********1232", "320583********4561", "110105********002X"}}};
  return o;
}

// A round of cloaking fetches; `variant` "" when every variant matched the plain page.
inline Observation cloaking(const std::string& target, Duration offset, std::string variant = "Baiduspider") {
  Observation o = up(target, offset);
  o.cloaking_seen = true;
  o.cloaking_variant = std::move(variant);
  if (!o.cloaking_variant.empty()) o.cloaking_difference = "a redirect to http://bet.example/";
  return o;
}

// The events of one type, in order.
inline std::vector<Event> events_of(const Decisions& d, const std::string& type) {
  std::vector<Event> out;
  for (const auto& e : d.events) {
    if (e.type == type) out.push_back(e);
  }
  return out;
}

// person → reason texts, for the notifications in `d`.
inline std::map<std::string, std::vector<std::string>> told(const Decisions& d) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& n : d.notifications) {
    for (const auto& r : n.reasons) out[n.person].push_back(r.text());
  }
  return out;
}

}  // namespace netwarden::test
