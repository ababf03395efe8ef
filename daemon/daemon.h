// run_daemon(): netwardend's life from a validated config to exit.
//
// Opens the store (state_dir/netwarden.db), restores what it remembers of
// each target and its open incidents, starts the web monitor, the incident
// keeper, the mail outbox's drainer and the control socket, and runs the io
// loop on the calling thread until SIGTERM/SIGINT. `templates` are the mail
// templates, loaded with the config so that an error in them is a config
// error. Returns the process
// exit code; start-up failures are logged with their reason and give 1.
#pragma once

#include "config/config.h"
#include "daemon/notifier/message/mail_templates.h"

namespace netwarden {

int run_daemon(const Config& config, const MailTemplates& templates);

}  // namespace netwarden
