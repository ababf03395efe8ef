// The one small world the end-to-end tests run netwardend in, as config
// text: [daemon] in the test's directory, a few people, one unit, one
// escalation chain, and the [mail] and targets a test adds. Second-scale
// by default (checks every 250 ms); a test sets only what it varies.
//
// The people: op (值班员, the unit's operator), so (Sam Officer, its
// security officer, reads English), head (院长, its head), boss (校长,
// first responsible) and, with `office`, office (网信办, reads English).
// The unit is kUnit (信息中心). Chain "c" (the default) tells the operator
// at once.
//
// Pure functions returning text; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace netwarden::test {

inline constexpr const char* kUnit = "it";
// A page for the world's site to serve.
inline const std::string kSitePage =
    "<html><head><title>某某学院</title></head><body><p>某某学院 欢迎您</p></body></html>";

struct ChainStep {
  std::string after;                // "2s"
  std::vector<std::string> notify;  // roles: "operator", "security_officer", ...
  std::string repeat = "";          // "1s": again until acknowledged
};

struct World {
  std::string log_level = "debug";
  int confirm_failures = 0;          // 0: the daemon's default
  std::string recovery_window = "";  // "": the daemon's default
  std::string mail = "";             // a [mail] section (smtp_mail(), ...); "": none
  std::string language = "";         // "": op, head and boss read Chinese; else everyone reads this
  bool office = false;               // an office in [institution] (it gets checkpoints and store alarms)
  std::map<std::string, std::vector<ChainStep>> chains{{"c", {{"0s", {"operator"}}}}};
  std::string defaults = "";  // the lines of a [defaults] section; "": none
  std::string extra = "";     // appended: targets, isolation watches
};

// The whole config file for `world`, its state and socket in `dir`
// (dir/state, dir/nw.sock: the layout DaemonHarness(dir) expects).
std::string world_config(const TempDir& dir, const World& world);

// The parts a test with a world of its own (the campus scenario) builds
// its config from: [daemon] for `dir` at `log_level`, a person, a unit, a
// chain.
std::string daemon_section(const TempDir& dir, const std::string& log_level);

struct Person {
  std::string id;
  std::string name;
  std::string language = "";  // "": the default
  std::string email = "";     // "": ID@example.edu.cn
};
std::string person_section(const Person& person);

struct Unit {
  std::string id;
  std::string name;
  std::vector<std::string> operators;
  std::vector<std::string> security_officer = {};
  std::vector<std::string> head = {};
};
std::string unit_section(const Unit& unit);

std::string chain_section(const std::string& name, const std::vector<ChainStep>& steps);

// [mail] through the SMTP relay `relay` (no STARTTLS, retry within 1s),
// `extra` lines added.
std::string smtp_mail(const std::string& relay, const std::string& extra = "");

struct WebTarget {
  std::string id;
  std::string url;
  std::string name = "";           // "": the id
  std::string chain = "c";         // "": from [defaults]
  std::string interval = "250ms";  // "": from [defaults]
  std::string extra = "";          // more lines, e.g. "threshold = \"6s\"\n"
  std::string unit = kUnit;
};

// A [targets.ID] section.
std::string web_target(const WebTarget& target);

// An [isolation.ID] watch of `kind` ("pcap", "must_not_reach"); `lines`
// are its own settings (interface or file, internal, ...).
std::string isolation_watch(const std::string& id, const std::string& kind, const std::string& lines,
                            const std::string& unit = kUnit, const std::string& chain = "c");

// An URL on 127.0.0.1 where nobody listens: a site that is down at once.
std::string closed_port_url();

}  // namespace netwarden::test
