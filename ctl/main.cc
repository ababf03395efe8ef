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

struct Command {
  const char* name;
  const char* help;
  View view;
};

const Command kCommands[] = {
    {"status", "daemon version, uptime and target counts", netwarden::status_text},
    {"targets", "every monitored target and its latest check", netwarden::targets_text},
    {"verify", "check the ledger's hash chain (and with --anchors the heads sent out); exit 1 naming every break",
     netwarden::verify_text},
    {"incidents", "open incidents (with --all, resolved ones too)", netwarden::incidents_text},
    {"show", "one incident and its timeline: who was told when, acknowledgements, threshold", netwarden::show_text},
    {"ack", "acknowledge an incident: stops repeats, not the threshold escalation", netwarden::change_text},
    {"resolve", "close an incident by hand, saying how (--note)", netwarden::change_text},
    {"approve", "make a target's current content its baseline; closes its content_changed incident",
     netwarden::change_text},
    {"crawl", "crawl a target's whole site now ([targets.ID.crawl]); its progress shows in status and targets",
     netwarden::crawl_text},
    {"test-notify", "send a marked test through each channel of a person or unit (or --channel) and show the answers",
     netwarden::test_notify_text},
    {"maintenance",
     "declare planned work on a target (checks in the window open no incidents); without TARGET, list windows",
     netwarden::maintenance_text},
};

// What the commands' options were given; sent as the request's args.
struct Options {
  bool all_incidents = false;
  std::int64_t incident_id = 0;
  std::string note, as_person, target, from, to, reason, anchors, channel;
};

void add_options(CLI::App& sub, std::string_view name, Options& o) {
  if (name == "incidents") sub.add_flag("--all", o.all_incidents, "include resolved incidents");
  if (name == "show" || name == "ack" || name == "resolve") {
    sub.add_option("ID", o.incident_id, "the incident's id (netwardenctl incidents)")->required();
  }
  if (name == "verify") {
    sub.add_option("--anchors", o.anchors,
                   "check the ledger heads in delivered messages: a directory of .eml files, or a file of "
                   "\"SEQ HASH\" lines");
  }
  if (name == "crawl") sub.add_option("TARGET", o.target, "the target's id (netwardenctl targets)")->required();
  if (name == "approve") sub.add_option("TARGET", o.target, "the target's id (netwardenctl targets)")->required();
  if (name == "test-notify") {
    sub.add_option("WHO", o.to, "a person's or a unit's id in the configuration")->required();
    sub.add_option("--channel", o.channel, "only this channel (\"email\" or a [channels] id)");
  }
  if (name == "maintenance") {
    sub.add_option("TARGET", o.target, "the target's id (netwardenctl targets); omit to list the windows");
    sub.add_option("--from", o.from, "start: now (the default) or a time like 2026-12-01T22:00:00+08:00");
    sub.add_option("--to", o.to, "end: a time like 2026-12-02T06:00:00+08:00, or a duration after --from like 2h");
    sub.add_option("--reason", o.reason, "what the work is; kept in the ledger");
  }
  if (name == "ack" || name == "resolve" || name == "approve") {
    auto* note_option = sub.add_option("--note", o.note, "what was done or found; kept in the ledger");
    if (name == "resolve") note_option->required();
  }
  if (name == "ack" || name == "resolve" || name == "approve" || name == "maintenance") {
    sub.add_option("--as", o.as_person, "the person (config id) you act as; the OS user is recorded too");
  }
}

// The request's args; an error only for an --anchors source that cannot be read.
netwarden::Result<boost::json::object> request_args(const Options& o) {
  boost::json::object args;
  if (o.all_incidents) args["all"] = true;
  if (o.incident_id != 0) args["id"] = o.incident_id;
  if (!o.note.empty()) args["note"] = o.note;
  if (!o.as_person.empty()) args["as"] = o.as_person;
  for (const auto& [key, value] : {std::pair{"target", &o.target},
                                   {"from", &o.from},
                                   {"to", &o.to},
                                   {"reason", &o.reason},
                                   {"channel", &o.channel}}) {
    if (!value->empty()) args[key] = *value;
  }
  if (!o.anchors.empty()) {
    auto read = netwarden::read_anchor_files(o.anchors);
    if (!read) return std::unexpected(read.error());
    args["anchors"] = std::move(*read);
  }
  return args;
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
  Options options;
  for (const auto& c : kCommands) add_options(*app.add_subcommand(c.name, c.help), c.name, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? ok : usage;
  }
  for (const auto& c : kCommands) {
    if (!app.got_subcommand(c.name)) continue;
    auto args = request_args(options);
    if (!args) {
      std::cerr << "netwardenctl: " << args.error().message << "\n";
      return usage;
    }
    return run(socket_path, c.name, std::move(*args), json, c.view);
  }
  return usage;
}
