// Starting helper programs for the test fixtures. Private to tests/support.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace netwarden::test {

// Starts argv[0] (a full path) with stdout and stderr appended to log_path,
// stdin from /dev/null and no other descriptor, in this process's
// environment with `env` ("NAME=VALUE" each) added or replacing what it
// names.
Result<pid_t> spawn(const std::vector<std::string>& argv, const std::string& log_path,
                    const std::vector<std::string>& env = {});

// spawn() and wait: an error carrying the log when the exit status is not 0.
Result<void> run(const std::vector<std::string>& argv, const std::string& log_path);

// argv as execve wants it: pointers into the strings, then a null.
std::vector<char*> c_argv(const std::vector<std::string>& argv);

// Waits for pid up to `limit`. Returns the exit code (-1 when a signal ended
// it), or nothing when it is still running (after SIGKILL if asked).
std::optional<int> reap(pid_t pid, std::chrono::milliseconds limit, bool kill_on_timeout);

// Polls `ready` every 5 ms for up to 10 s while the started child `pid`
// runs. An error "NAME exited at start" or "NAME was not ready within 10s"
// followed by `output()` when it is not; `pid` is -1 after an exit, and the
// caller stops a child that was not ready.
Result<void> wait_until_ready(pid_t& pid, const std::string& name, const std::function<bool()>& ready,
                              const std::function<std::string()>& output);

// SIGTERM to `pid` (if > 0), SIGKILL after 5 s, reaped either way; `pid`
// is set to -1.
void stop_child(pid_t& pid);

// The whole content of a small file ("" when it cannot be read).
std::string read_file(const std::string& path);

}  // namespace netwarden::test
