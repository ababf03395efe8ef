// netwardend: the monitoring daemon. Runs in the foreground (systemd style);
// logs go to stderr. See README.md and docs/design.md §2 for the contract.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/os_error.h"
#include "config/load_config.h"
#include "ctl/anchor_files.h"
#include "ctl/views.h"
#include "daemon/core/outage_simulation.h"
#include "daemon/daemon.h"
#include "daemon/ledger_report.h"
#include "daemon/log_pattern.h"
#include "daemon/simulate_text.h"
#include "daemon/store/store.h"
#include "daemon/web_monitor/content_analyzers.h"
#include "probes/isolation/replay_report.h"

namespace {

void setup_logging(const std::string& level) {
  // _mt: the store's writer and the outbox's drainer log from their threads.
  auto logger = spdlog::stderr_logger_mt("netwardend");
  netwarden::set_log_pattern(*logger, netwarden::stderr_log_destination());
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

// --ledger-key, else the credential systemd hands over
// (LoadCredential=ledger-key:...), else none.
netwarden::Result<std::optional<netwarden::LedgerKey>> ledger_key(const std::string& option) {
  using netwarden::LedgerKeySource;
  std::string path = option;
  LedgerKeySource source = LedgerKeySource::file;
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (path.empty() && credentials != nullptr && *credentials != '\0') {
    path = std::string(credentials) + "/ledger-key";
    source = LedgerKeySource::systemd_credential;
    if (!std::filesystem::exists(path)) return std::nullopt;
  }
  if (path.empty()) return std::nullopt;
  auto key = netwarden::load_ledger_key(path, source);
  if (!key) return std::unexpected(key.error());
  return std::optional(std::move(*key));
}

// --verify-ledger: an auditor's check of a copy of the database, read-only,
// without a daemon. Exit 0 whole, 1 broken, 2 when an input cannot be used.
int verify_offline(const std::string& db, const std::string& key_option, const std::string& anchors_path, bool json) {
  constexpr int whole = 0, broken = 1, usage = 2;
  auto key = ledger_key(key_option);
  if (!key) {
    std::cerr << "netwardend: " << key.error().message << "\n";
    return usage;
  }
  std::vector<netwarden::LedgerAnchor> anchors;
  if (!anchors_path.empty()) {
    auto read = netwarden::read_anchor_files(anchors_path);
    auto parsed = read ? netwarden::anchors_from_json(*read) : std::unexpected(read.error());
    if (!parsed) {
      std::cerr << "netwardend: " << parsed.error().message << "\n";
      return usage;
    }
    anchors = std::move(*parsed);
  }
  auto store = netwarden::Store::open_read_only(db);
  if (!store) {
    std::cerr << "netwardend: " << db << ": " << store.error().message << "\n";
    return usage;
  }
  auto report = netwarden::ledger_report(**store, *key, anchors);
  if (!report) {
    std::cerr << "netwardend: " << db << ": " << report.error().message << "\n";
    return usage;
  }
  auto text = netwarden::verify_text(*report);
  if (json) {
    std::cout << boost::json::serialize(*report) << "\n";
  } else if (text) {
    std::cout << *text;
  } else {
    std::cerr << "netwardend: " << text.error().message << "\n";
  }
  return text ? whole : broken;
}

struct Options {
  std::string config_path = "/etc/netwarden/netwarden.toml";
  std::string socket_path, state_dir;
  bool check_only = false, allow_empty = false, json_output = false;
  std::string simulate_kind = "site_down";
  std::string simulate_target, replay_file, key_option, verify_db, anchors_path;
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("--config", o.config_path, "configuration file")->type_name("FILE")->capture_default_str();
  app.add_option("--socket", o.socket_path, "control socket path (overrides the config)")->type_name("PATH");
  app.add_option("--state-dir", o.state_dir, "state directory (overrides the config)")->type_name("DIR");
  app.add_flag("--check-config", o.check_only, "validate the configuration and exit");
  app.add_flag("--allow-empty", o.allow_empty, "accept a configuration with nothing to watch");
  app.add_option("--simulate", o.simulate_target,
                 "print the escalation an outage of TARGET would bring, and exit (no daemon needed)")
      ->type_name("TARGET");
  app.add_option("--kind", o.simulate_kind,
                 "with --simulate: the kind of incident (site_down, content_changed, harmful_content, hidden_link, "
                 "malicious_code, cloaking, privacy_leak)")
      ->type_name("KIND")
      ->capture_default_str()
      ->check([](const std::string& name) {
        auto kind = netwarden::parse_incident_kind(name);
        return kind && netwarden::simulatable(*kind) ? std::string() : "not a kind --simulate can show: " + name;
      });
  app.add_option("--replay", o.replay_file,
                 "print the suspected isolation breaches in the saved capture CAPTURE, judged by every kind = \"pcap\" "
                 "watch of the config, and exit")
      ->type_name("CAPTURE");
  app.add_flag("--json", o.json_output, "with --replay or --verify-ledger: print JSON instead of text");
  app.add_option("--ledger-key", o.key_option,
                 "the ledger key file (64 hex digits, mode 0600); default: $CREDENTIALS_DIRECTORY/ledger-key")
      ->type_name("FILE");
  app.add_option("--verify-ledger", o.verify_db,
                 "verify the ledger of the database DB (a copy; opened read-only) and exit: 0 whole, 1 broken, 2 usage")
      ->type_name("DB");
  app.add_option("--anchors", o.anchors_path,
                 "with --verify-ledger: check the ledger heads in FILE (seq hash lines) or DIR (delivered .eml files)")
      ->type_name("FILE|DIR");
  app.set_version_flag("--version", NETWARDEN_VERSION);
}

// The configuration, its errors printed (one FILE:LINE:COL line each) when
// it has any.
std::optional<netwarden::Config> load(const Options& o) {
  auto loaded = netwarden::load_config(o.config_path);
  if (loaded.ok() && !o.allow_empty) {
    if (auto empty = netwarden::nothing_to_watch(loaded.config)) loaded.errors.push_back(*empty);
  }
  if (loaded.ok()) return std::move(loaded.config);
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  std::cerr << "netwardend: " << o.config_path << ": " << loaded.errors.size() << " error(s)\n";
  return std::nullopt;
}

// Prints `text` and exits 0, or its error and exits 1.
int print(const netwarden::Result<std::string>& text) {
  if (!text) {
    std::cerr << "netwardend: " << text.error().message << "\n";
    return 1;
  }
  std::cout << *text;
  return 0;
}

int replay(const netwarden::Config& config, const Options& o) {
  auto report = netwarden::replay_report(config, o.replay_file, o.json_output);
  if (!report) return print(std::unexpected(report.error()));
  std::cout << report->output;
  if (o.json_output && report->undecodable != 0) {
    std::cerr << "netwardend: " << netwarden::undecodable_text(report->undecodable, o.replay_file) << "\n";
  }
  return 0;
}

// Runs the daemon until it stops, or executes itself again to reload.
int serve(netwarden::Config config, const netwarden::MailTemplates& templates, const Options& o, char** argv) {
  if (!o.socket_path.empty()) config.daemon.socket = o.socket_path;
  if (!o.state_dir.empty()) config.daemon.state_dir = o.state_dir;
  // A key that is there but wrong is a mistake to fix before running, not
  // a reason to write an unkeyed chain.
  auto key = ledger_key(o.key_option);
  if (!key) return print(std::unexpected(key.error()));
  setup_logging(config.daemon.log_level);
  // A reload checks the new file with this same program and arguments, in
  // a child process that may crash or hang without harm.
  std::vector<std::string> check_command{"/proc/self/exe"};
  for (char** arg = argv + 1; *arg != nullptr; ++arg) check_command.emplace_back(*arg);
  check_command.push_back("--check-config");
  switch (netwarden::run_daemon(config, templates, std::move(check_command), *key)) {
    case netwarden::DaemonEnd::stopped: return 0;
    case netwarden::DaemonEnd::failed: return 1;
    case netwarden::DaemonEnd::reload: break;
  }
  // The same program with the same arguments: systemd sees the same PID,
  // and every descriptor is close-on-exec, so the new image starts clean.
  ::execv("/proc/self/exe", argv);
  spdlog::critical("reload: cannot execute /proc/self/exe again: {}", netwarden::errno_text());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"netwardend — network-security incident monitor"};
  Options o;
  add_options(app, o);
  // A usage error exits 2, as netwardenctl's do (CLI11's own codes are 100 and up).
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Before the configuration: an auditor has a copy of the database, not the server.
  if (!o.verify_db.empty()) return verify_offline(o.verify_db, o.key_option, o.anchors_path, o.json_output);
  if (!o.anchors_path.empty()) {
    std::cerr << "netwardend: --anchors goes with --verify-ledger (or netwardenctl verify --anchors)\n";
    return 2;
  }
  std::optional<netwarden::Config> config = load(o);
  if (!config) return 1;
  // Before the mail templates: investigating a capture needs only the
  // isolation watches.
  if (!o.replay_file.empty()) return replay(*config, o);
  // Mail templates and the keyword files of the targets' content rules are
  // part of the configuration: an error in them stops the daemon at start
  // (and a reload keeps the running config), never a message or a check
  // at the moment it is needed.
  auto templates = netwarden::load_mail_templates(config->mail.templates_dir);
  std::vector<std::string> errors = netwarden::content_rule_errors(*config);
  if (!templates) errors.insert(errors.begin(), templates.error().message);
  if (!errors.empty()) {
    for (const std::string& e : errors) std::cerr << e << "\n";
    std::cerr << "netwardend: " << o.config_path << ": " << errors.size() << " error(s)\n";
    return 1;
  }
  if (o.check_only) {
    std::cout << "netwardend: " << o.config_path << ": configuration is valid\n";
    return 0;
  }
  if (!o.simulate_target.empty()) {
    return print(
        netwarden::simulate_text(*config, o.simulate_target, *netwarden::parse_incident_kind(o.simulate_kind)));
  }
  return serve(std::move(*config), *templates, o, argv);
}
