// run_daemon(): netwardend's life from a validated config to exit.
//
// Opens the store (state_dir/netwarden.db), restores what it remembers of
// each target, starts the web monitor and the control socket, and runs the
// io loop on the calling thread until SIGTERM/SIGINT. Returns the process
// exit code; start-up failures are logged with their reason and give 1.
#pragma once

#include "config/config.h"

namespace netwarden {

int run_daemon(const Config& config);

}  // namespace netwarden
