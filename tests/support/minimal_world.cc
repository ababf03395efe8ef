#include "tests/support/minimal_world.h"

#include "tests/support/free_port.h"

namespace netwarden::test {

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return "[" + out + "]";
}

}  // namespace

std::string person_section(const Person& p) {
  return "[people." + p.id + "]\nname = \"" + p.name + "\"\nemail = \"" +
         (p.email.empty() ? p.id + "@example.edu.cn" : p.email) + "\"\n" +
         (p.language.empty() ? "" : "language = \"" + p.language + "\"\n");
}

std::string unit_section(const Unit& u) {
  std::string text =
      "\n[units." + u.id + "]\nname = \"" + u.name + "\"\noperators = " + quoted_list(u.operators) + "\n";
  if (!u.security_officer.empty()) text += "security_officer = " + quoted_list(u.security_officer) + "\n";
  if (!u.head.empty()) text += "head = " + quoted_list(u.head) + "\n";
  return text;
}

std::string daemon_section(const TempDir& dir, const std::string& log_level) {
  return "[daemon]\nstate_dir = \"" + dir.file("state") + "\"\nsocket = \"" + dir.file("nw.sock") +
         "\"\nlog_level = \"" + log_level + "\"\n";
}

std::string chain_section(const std::string& name, const std::vector<ChainStep>& steps) {
  std::string text = "\n[chains." + name + "]\n";
  for (const ChainStep& step : steps) {
    text += "[[chains." + name + ".steps]]\nafter = \"" + step.after + "\"\nnotify = " + quoted_list(step.notify) +
            "\n" + (step.repeat.empty() ? "" : "repeat = \"" + step.repeat + "\"\n");
  }
  return text;
}

std::string world_config(const TempDir& dir, const World& world) {
  std::string text = daemon_section(dir, world.log_level);
  std::string incidents;
  if (world.confirm_failures > 0) incidents += "confirm_failures = " + std::to_string(world.confirm_failures) + "\n";
  if (!world.recovery_window.empty()) incidents += "recovery_window = \"" + world.recovery_window + "\"\n";
  if (!incidents.empty()) text += "\n[incidents]\n" + incidents;
  if (!world.defaults.empty()) text += "\n[defaults]\n" + world.defaults;
  if (!world.mail.empty()) text += "\n" + world.mail;
  const std::string& chinese = world.language;  // "" reads Chinese, the default
  const std::string english = world.language.empty() ? "en" : world.language;
  text += "\n" + person_section({"op", "值班员", chinese}) + person_section({"so", "Sam Officer", english}) +
          person_section({"head", "院长", chinese}) + person_section({"boss", "校长", chinese});
  if (world.office) text += person_section({"office", "网信办", english});
  text += unit_section({kUnit, "信息中心", {"op"}, {"so"}, {"head"}}) +
          "\n[institution]\nfirst_responsible = [\"boss\"]\n" + (world.office ? "office = [\"office\"]\n" : "");
  for (const auto& [name, steps] : world.chains) text += chain_section(name, steps);
  return text + world.extra;
}

std::string smtp_mail(const std::string& relay, const std::string& extra) {
  return "[mail]\ntransport = \"smtp\"\nfrom = \"netwarden@example.edu.cn\"\nrelays = [\"" + relay +
         "\"]\nstarttls = false\nconnect_timeout = \"1s\"\ntimeout = \"5s\"\nretry_max = \"1s\"\n" + extra;
}

std::string web_target(const WebTarget& t) {
  std::string text = "\n[targets." + t.id + "]\n";
  if (!t.name.empty()) text += "name = \"" + t.name + "\"\n";
  text += "url = \"" + t.url + "\"\nunit = \"" + t.unit + "\"\n";
  if (!t.chain.empty()) text += "chain = \"" + t.chain + "\"\n";
  if (!t.interval.empty()) text += "interval = \"" + t.interval + "\"\ntimeout = \"" + t.interval + "\"\n";
  return text + t.extra;
}

std::string isolation_watch(const std::string& id, const std::string& kind, const std::string& lines,
                            const std::string& unit, const std::string& chain) {
  return "\n[isolation." + id + "]\nkind = \"" + kind + "\"\nunit = \"" + unit + "\"\nchain = \"" + chain + "\"\n" +
         lines;
}

std::string closed_port_url() { return "http://127.0.0.1:" + std::to_string(free_loopback_port()) + "/"; }

}  // namespace netwarden::test
