// netwardend: the monitoring daemon. Runs in the foreground (systemd style);
// logs go to stderr. See README.md and docs/design.md §2 for the contract.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "config/load_config.h"
#include "ctl/anchor_files.h"
#include "ctl/views.h"
#include "daemon/daemon.h"
#include "daemon/ledger_report.h"
#include "daemon/log_pattern.h"
#include "daemon/store/store.h"
#include "daemon/simulate_text.h"
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"netwardend — network-security incident monitor"};
  std::string config_path = "/etc/netwarden/netwarden.toml";
  std::string socket_path;
  std::string state_dir;
  bool check_only = false;
  bool allow_empty = false;
  std::string simulate_target;
  app.add_option("--config", config_path, "configuration file")->type_name("FILE")->capture_default_str();
  app.add_option("--socket", socket_path, "control socket path (overrides the config)")->type_name("PATH");
  app.add_option("--state-dir", state_dir, "state directory (overrides the config)")->type_name("DIR");
  app.add_flag("--check-config", check_only, "validate the configuration and exit");
  app.add_flag("--allow-empty", allow_empty, "accept a configuration with nothing to watch");
  app.add_option("--simulate", simulate_target,
                 "print the escalation an outage of TARGET would bring, and exit (no daemon needed)")
      ->type_name("TARGET");
  std::string replay_file;
  bool json_output = false;
  app.add_option("--replay", replay_file,
                 "print the suspected isolation breaches in the saved capture CAPTURE, judged by every kind = \"pcap\" "
                 "watch of the config, and exit")
      ->type_name("CAPTURE");
  app.add_flag("--json", json_output, "with --replay or --verify-ledger: print JSON instead of text");
  std::string key_option;
  app.add_option("--ledger-key", key_option,
                 "the ledger key file (64 hex digits, mode 0600); default: $CREDENTIALS_DIRECTORY/ledger-key")
      ->type_name("FILE");
  std::string verify_db;
  std::string anchors_path;
  app.add_option("--verify-ledger", verify_db,
                 "verify the ledger of the database DB (a copy; opened read-only) and exit: 0 whole, 1 broken, 2 usage")
      ->type_name("DB");
  app.add_option("--anchors", anchors_path,
                 "with --verify-ledger: check the ledger heads in FILE (seq hash lines) or DIR (delivered .eml files)")
      ->type_name("FILE|DIR");
  app.set_version_flag("--version", NETWARDEN_VERSION);
  // A usage error exits 2, as netwardenctl's do (CLI11's own codes are 100 and up).
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Before the configuration: an auditor has a copy of the database, not the server.
  if (!verify_db.empty()) return verify_offline(verify_db, key_option, anchors_path, json_output);
  if (!anchors_path.empty()) {
    std::cerr << "netwardend: --anchors goes with --verify-ledger (or netwardenctl verify --anchors)\n";
    return 2;
  }

  auto loaded = netwarden::load_config(config_path);
  if (loaded.ok() && !allow_empty) {
    if (auto empty = netwarden::nothing_to_watch(loaded.config)) loaded.errors.push_back(*empty);
  }
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    std::cerr << "netwardend: " << config_path << ": " << loaded.errors.size() << " error(s)\n";
    return 1;
  }
  // Before the mail templates: investigating a capture needs only the
  // isolation watches.
  if (!replay_file.empty()) {
    auto report = netwarden::replay_report(loaded.config, replay_file, json_output);
    if (!report) {
      std::cerr << "netwardend: " << report.error().message << "\n";
      return 1;
    }
    std::cout << report->output;
    if (json_output && report->undecodable != 0) {
      std::cerr << "netwardend: " << netwarden::undecodable_text(report->undecodable, replay_file) << "\n";
    }
    return 0;
  }
  // Mail templates are part of the configuration: an error in them stops
  // the daemon at start, never a message at the moment it is needed.
  auto templates = netwarden::load_mail_templates(loaded.config.mail.templates_dir);
  if (!templates) {
    std::cerr << templates.error().message << "\n";
    std::cerr << "netwardend: " << config_path << ": 1 error(s)\n";
    return 1;
  }
  if (check_only) {
    std::cout << "netwardend: " << config_path << ": configuration is valid\n";
    return 0;
  }
  if (!simulate_target.empty()) {
    auto text = netwarden::simulate_text(loaded.config, simulate_target);
    if (!text) {
      std::cerr << "netwardend: " << text.error().message << "\n";
      return 1;
    }
    std::cout << *text;
    return 0;
  }
  netwarden::Config config = std::move(loaded.config);
  if (!socket_path.empty()) config.daemon.socket = socket_path;
  if (!state_dir.empty()) config.daemon.state_dir = state_dir;

  // A key that is there but wrong is a mistake to fix before running, not
  // a reason to write an unkeyed chain.
  auto key = ledger_key(key_option);
  if (!key) {
    std::cerr << "netwardend: " << key.error().message << "\n";
    return 1;
  }
  setup_logging(config.daemon.log_level);
  // A reload checks the new file with this same program and arguments, in
  // a child process that may crash or hang without harm.
  std::vector<std::string> check_command(argv, argv + argc);
  check_command.front() = "/proc/self/exe";
  check_command.push_back("--check-config");
  switch (netwarden::run_daemon(config, *templates, std::move(check_command), *key)) {
    case netwarden::DaemonEnd::stopped: return 0;
    case netwarden::DaemonEnd::failed: return 1;
    case netwarden::DaemonEnd::reload: break;
  }
  // The same program with the same arguments: systemd sees the same PID,
  // and every descriptor is close-on-exec, so the new image starts clean.
  ::execv("/proc/self/exe", argv);
  spdlog::critical("reload: cannot execute /proc/self/exe again: {}", std::strerror(errno));
  return 1;
}
