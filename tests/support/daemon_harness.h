// DaemonHarness: the real netwardend run on a test's config, and the real
// netwardenctl to talk to it, for end-to-end tests. Polling helpers wait
// for a condition with a deadline instead of sleeping a guessed time.
//
// The binaries are the build's, or the ones named by the environment
// variables NETWARDEN_DAEMON and NETWARDEN_CTL (the package test runs the
// campus scenario against the installed /usr/sbin/netwardend that way).
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {

class DaemonHarness {
 public:
  // `config` is the config file's path, `socket` the control socket and
  // `db` the database it names; the daemon's output is appended to `log`.
  DaemonHarness(std::string config, std::string socket, std::string db, std::string log);
  // The layout the end-to-end tests use in `dir`: netwarden.toml, nw.sock,
  // state/netwarden.db (state_dir = dir/state) and daemon.log.
  explicit DaemonHarness(const TempDir& dir);

  // `netwardend --config CONFIG` and `extra` (e.g. --ledger-key FILE);
  // `env` ("NAME=VALUE" each) is added to the daemon's environment, e.g. LD_PRELOAD.
  void start(std::vector<std::string> extra = {}, const std::vector<std::string>& env = {});
  void kill9();  // SIGKILL, as a crash
  int stop();    // SIGTERM; the exit code
  bool running() const;
  void signal(int signo) const;  // e.g. SIGHUP to reload
  pid_t pid() const;

  Finished ctl(std::vector<std::string> args) const;
  // netwardend run as a tool with `args` (e.g. --verify-ledger), to its end.
  Finished netwardend(std::vector<std::string> args) const;
  // `netwardenctl --json ARGS`; null when it did not exit 0.
  boost::json::value ctl_json(std::vector<std::string> args) const;

  // Polls `done` every 100 ms until it holds or `limit` passes (or the
  // daemon exits); false then, and the test should show log().
  bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(15));

  // `checks_completed` from `netwardenctl --json status`; -1 when the
  // daemon does not answer.
  std::int64_t checks_completed() const;
  // Waits until `checks_completed` has grown by `n` from now: proof that the
  // daemon did that much work (and its ticks ran meanwhile) where a test
  // asserts that something does not happen.
  bool wait_checks_grown(std::int64_t n, std::chrono::milliseconds limit = std::chrono::seconds(15));

  // What the sqlite3 CLI prints for `query` on the daemon's database, as
  // someone with a shell on the server would see it.
  std::string sql(const std::string& query) const;

  std::string log() const;

 private:
  std::string config_, socket_, db_, log_;
  std::unique_ptr<ChildProcess> daemon_;
};

}  // namespace netwarden::test
