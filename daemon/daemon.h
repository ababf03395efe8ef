// run_daemon(): netwardend's life from a validated config to exit.
//
// Opens the store (state_dir/netwarden.db), verifies the ledger and
// continues it on a keyed segment (a break is an alarm, never a reason to
// stop: see start_ledger() in daemon.cc), restores what it remembers of
// each target and its open incidents, starts the web monitor, the incident
// keeper, the mail outbox's drainer and the control socket, and runs the io
// loop on the calling thread until SIGTERM/SIGINT. `templates` are the mail
// templates, loaded with the config so that an error in them is a config
// error.
//
// SIGHUP reloads: first `check_command` (netwardend's own command line
// with --check-config) checks the config file in a child process
// (daemon/config_check.h), so that no file can crash or hang the daemon
// itself; then the file is read again here, with its templates and mail
// transport. When the child fails, crashes or hangs, or the file has errors,
// that is logged and the daemon carries on with the configuration it has.
// A SIGHUP during a check starts another one after it. When it is valid the
// daemon shuts down as for SIGTERM and returns DaemonEnd::reload, and main()
// executes itself again with the same arguments: same PID, new config.
// Open incidents and their escalation state are in the store and carry on;
// probes start afresh. Returns the process
// exit code; start-up failures are logged with their reason and give 1.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/notifier/message/mail_templates.h"
#include "daemon/store/ledger_key.h"

namespace netwarden {

enum class DaemonEnd {
  stopped,  // SIGTERM/SIGINT: exit 0
  failed,   // could not start: exit 1
  reload,   // SIGHUP with a valid config: start again in place
};

// `check_command` validates the config file in a child process on SIGHUP;
// `ledger_key`: the key the ledger is continued with (none: unkeyed).
DaemonEnd run_daemon(const Config& config, const MailTemplates& templates, std::vector<std::string> check_command,
                     const std::optional<LedgerKey>& ledger_key);

}  // namespace netwarden
