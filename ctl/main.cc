// netwardenctl: asks the running netwardend over its control socket and
// prints the answer as a table, or as JSON with --json.
//
// Exit codes (the contract in docs/design.md): 0 ok, 1 error from the daemon,
// 2 usage, 3 daemon unreachable.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "ctl/anchor_files.h"
#include "ctl/control_client.h"
#include "ctl/views.h"

namespace {

enum Exit { ok = 0, daemon_error = 1, usage = 2, unreachable = 3 };

using View = netwarden::Result<std::string> (*)(const boost::json::value&);

int run(const std::string& socket_path, const std::string& command, boost::json::object args, bool json, View view) {
  auto response = netwarden::call_daemon({.socket_path = socket_path, .command = command, .args = std::move(args)});
  if (!response) {
    std::cerr << "netwardenctl: " << response.error().message << "\n";
    return unreachable;
  }
  const auto* okay = response->if_contains("ok");
  if (okay == nullptr || !okay->is_bool() || !okay->get_bool()) {
    const auto* error = response->if_contains("error");
    std::cerr << "netwardenctl: "
              << (error != nullptr && error->is_string() ? std::string(error->get_string())
                                                         : "the daemon refused '" + command + "'")
              << "\n";
    return daemon_error;
  }
  const auto* result = response->if_contains("result");
  static const boost::json::value none;
  const auto& value = result != nullptr ? *result : none;
  if (json) {
    std::cout << boost::json::serialize(value) << "\n";
    // The exit code still says whether the result is what was asked for
    // (for verify: an intact ledger).
    return view(value) ? ok : daemon_error;
  }
  auto text = view(value);
  if (!text) {
    std::cerr << "netwardenctl: " << text.error().message << "\n";
    return daemon_error;
  }
  std::cout << *text;
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"netwardenctl: query the running netwardend"};
  app.fallthrough();
  app.require_subcommand(1);
  std::string socket_path = "/run/netwarden/netwarden.sock";
  bool json = false;
  app.add_option("--socket", socket_path, "control socket of the daemon")->capture_default_str();
  app.add_flag("--json", json, "print the result as JSON");

  struct Command {
    const char* name;
    const char* help;
    View view;
  };
  const Command commands[] = {
      {"status", "daemon version, uptime and target counts", netwarden::status_text},
      {"targets", "every monitored target and its latest check", netwarden::targets_text},
      {"verify",
       "check the ledger's hash chain (and with --anchors the heads sent out); exit 1 naming every break",
       netwarden::verify_text},
      {"incidents", "open incidents (with --all, resolved ones too)", netwarden::incidents_text},
      {"show", "one incident and its timeline: who was told when, acknowledgements, threshold",
       netwarden::show_text},
      {"ack", "acknowledge an incident: stops repeats, not the threshold escalation", netwarden::change_text},
      {"resolve", "close an incident by hand, saying how (--note)", netwarden::change_text},
      {"approve", "make a target's current content its baseline; closes its content_changed incident",
       netwarden::change_text},
      {"maintenance",
       "declare planned work on a target (checks in the window open no incidents); without TARGET, list windows",
       netwarden::maintenance_text},
  };
  // Options of the commands that take them; sent as the request's args.
  bool all_incidents = false;
  std::int64_t incident_id = 0;
  std::string note, as_person, target, from, to, reason, anchors;
  for (const auto& c : commands) {
    auto* sub = app.add_subcommand(c.name, c.help);
    const std::string_view name = c.name;
    if (name == "incidents") sub->add_flag("--all", all_incidents, "include resolved incidents");
    if (name == "show" || name == "ack" || name == "resolve") {
      sub->add_option("ID", incident_id, "the incident's id (netwardenctl incidents)")->required();
    }
    if (name == "verify") {
      sub->add_option("--anchors", anchors,
                      "check the ledger heads in delivered messages: a directory of .eml files, or a file of "
                      "\"SEQ HASH\" lines");
    }
    if (name == "approve") sub->add_option("TARGET", target, "the target's id (netwardenctl targets)")->required();
    if (name == "maintenance") {
      sub->add_option("TARGET", target, "the target's id (netwardenctl targets); omit to list the windows");
      sub->add_option("--from", from, "start: now (the default) or a time like 2026-12-01T22:00:00+08:00");
      sub->add_option("--to", to, "end: a time like 2026-12-02T06:00:00+08:00, or a duration after --from like 2h");
      sub->add_option("--reason", reason, "what the work is; kept in the ledger");
    }
    if (name == "ack" || name == "resolve" || name == "approve") {
      auto* note_option = sub->add_option("--note", note, "what was done or found; kept in the ledger");
      if (name == "resolve") note_option->required();
    }
    if (name == "ack" || name == "resolve" || name == "approve" || name == "maintenance") {
      sub->add_option("--as", as_person, "the person (config id) you act as; the OS user is recorded too");
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? ok : usage;
  }
  for (const auto& c : commands) {
    if (!app.got_subcommand(c.name)) continue;
    boost::json::object args;
    if (all_incidents) args["all"] = true;
    if (incident_id != 0) args["id"] = incident_id;
    if (!note.empty()) args["note"] = note;
    if (!as_person.empty()) args["as"] = as_person;
    for (const auto& [key, value] : {std::pair{"target", &target}, {"from", &from}, {"to", &to}, {"reason", &reason}}) {
      if (!value->empty()) args[key] = *value;
    }
    if (!anchors.empty()) {
      auto read = netwarden::read_anchor_files(anchors);
      if (!read) {
        std::cerr << "netwardenctl: " << read.error().message << "\n";
        return usage;
      }
      args["anchors"] = std::move(*read);
    }
    return run(socket_path, c.name, std::move(args), json, c.view);
  }
  return usage;
}
