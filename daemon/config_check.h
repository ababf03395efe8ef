// ConfigCheck: runs the check of a new configuration in a child process,
// for SIGHUP, so that nothing in the file (not even input that crashes or
// hangs the TOML parser) can take the running daemon down.
//
// start() spawns `argv` (netwardend's own command line plus --check-config)
// with stdin on /dev/null, stdout and stderr captured (the first 16 KiB),
// in a process group of its own with default signal dispositions, and
// calls `done` on the executor once the child has exited: success for
// exit status 0; otherwise an error naming the exit status or the signal
// and quoting what it printed. A child still running after `timeout` is
// killed (with its group) and reported as hung; so is a child stopped by
// cancel(). The child is always reaped.
//
// Thread-safety: use from the executor's thread. The object must outlive
// the completion of a started check (run the executor until it is done).
#pragma once

#include <sys/types.h>

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class ConfigCheck {
 public:
  using Done = std::function<void(Result<void>)>;

  ConfigCheck(const boost::asio::any_io_executor& executor, std::vector<std::string> argv, Duration timeout);
  ~ConfigCheck();
  ConfigCheck(const ConfigCheck&) = delete;
  ConfigCheck& operator=(const ConfigCheck&) = delete;

  // True from start() until `done` has been called.
  bool running() const { return running_; }
  // Not while running(). A child that cannot be started is reported
  // through `done` too.
  void start(Done done);
  // Kills the child, if any; `done` follows as for a timeout.
  void cancel();

 private:
  void read_output();
  void part_finished();
  Result<void> outcome(int status) const;

  boost::asio::any_io_executor executor_;
  std::vector<std::string> argv_;
  Duration timeout_;
  boost::asio::posix::stream_descriptor output_;
  boost::asio::posix::stream_descriptor exited_;  // a pidfd: readable once the child has exited
  boost::asio::steady_timer timer_;
  std::array<char, 4096> buffer_{};
  std::string printed_;
  Done done_;
  pid_t pid_ = -1;
  int status_ = 0;
  int parts_left_ = 0;  // end of output, exit
  bool running_ = false;
  bool killed_ = false;
};

}  // namespace netwarden
