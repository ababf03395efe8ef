// netwardend: the monitoring daemon. Runs in the foreground (systemd style);
// logs go to stderr. See README.md and docs/design.md §2 for the contract.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "config/load_config.h"
#include "daemon/daemon.h"
#include "daemon/log_pattern.h"
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"netwardend — network-security incident monitor"};
  std::string config_path = "/etc/netwarden/netwarden.toml";
  std::string socket_path;
  std::string state_dir;
  bool check_only = false;
  bool allow_empty = false;
  std::string simulate_target;
  app.add_option("--config", config_path, "configuration file")->capture_default_str();
  app.add_option("--socket", socket_path, "control socket path (overrides the config)");
  app.add_option("--state-dir", state_dir, "state directory (overrides the config)");
  app.add_flag("--check-config", check_only, "validate the configuration and exit");
  app.add_flag("--allow-empty", allow_empty, "accept a configuration with nothing to watch");
  app.add_option("--simulate", simulate_target,
                 "print the escalation an outage of TARGET would bring, and exit (no daemon needed)");
  std::string replay_file;
  bool replay_json = false;
  app.add_option("--replay", replay_file,
                 "print the suspected isolation breaches in the saved capture FILE, judged by every kind = \"pcap\" "
                 "watch of the config, and exit");
  app.add_flag("--json", replay_json, "with --replay: print a JSON array instead of text");
  app.set_version_flag("--version", NETWARDEN_VERSION);
  CLI11_PARSE(app, argc, argv);

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
    auto report = netwarden::replay_report(loaded.config, replay_file, replay_json);
    if (!report) {
      std::cerr << "netwardend: " << report.error().message << "\n";
      return 1;
    }
    std::cout << report->output;
    if (replay_json && report->undecodable != 0) {
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

  setup_logging(config.daemon.log_level);
  // A reload checks the new file with this same program and arguments, in
  // a child process that may crash or hang without harm.
  std::vector<std::string> check_command(argv, argv + argc);
  check_command.front() = "/proc/self/exe";
  check_command.push_back("--check-config");
  switch (netwarden::run_daemon(config, *templates, std::move(check_command))) {
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
