// Starting a helper program (sendmail, the reload's configuration check)
// the way the daemon wants every child: no shell, in a process group of its
// own (so that one kill reaches whatever it starts), with default signal
// dispositions and an empty signal mask, and with only stdin, stdout and
// stderr open: every other descriptor is closed in the child (closefrom),
// close-on-exec or not, so no socket or database outlives the daemon in it.
// Safe from any thread; the caller reaps the child.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace netwarden {

// Starts argv[0] (a path) with `argv` and this process's environment,
// `input_fd` as stdin and `output_fd` as both stdout and stderr. The error
// says which program could not be started and why.
Result<pid_t> spawn_in_own_group(const std::vector<std::string>& argv, int input_fd, int output_fd);

}  // namespace netwarden
