// ChildProcess: runs a program of ours (netwardend, netwardenctl) from a test,
// capturing its output, so end-to-end tests drive the real binaries.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace netwarden::test {

struct Finished {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs argv to completion (killed after `limit`) and returns what it printed.
Finished run_program(const std::vector<std::string>& argv, std::chrono::milliseconds limit = std::chrono::seconds(20));

// A long-running child (the daemon). Its stdout and stderr are appended to
// log_path, for the test to show when something fails; the destructor kills
// it if still running. Throws when the program cannot be started. `env`
// ("NAME=VALUE" each) is added to the test's environment for the child.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path,
               const std::vector<std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signo) const;
  // Waits for exit up to `limit`; returns the exit code, or -1 on signal/timeout.
  int wait(std::chrono::milliseconds limit);
  // False once it has exited (a test polling a daemon fails fast then).
  bool running();

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The built binary `relative` (e.g. "daemon/netwardend") under NETWARDEN_BINARY_DIR.
std::string built_binary(const std::string& relative);

}  // namespace netwarden::test
