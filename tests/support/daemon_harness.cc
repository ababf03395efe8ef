#include "tests/support/daemon_harness.h"

#include <signal.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <thread>

#include "tests/support/spawn.h"

namespace netwarden::test {

namespace {

std::string binary(const char* variable, const std::string& built) {
  const char* given = std::getenv(variable);
  return given != nullptr && *given != '\0' ? given : built_binary(built);
}

}  // namespace

DaemonHarness::DaemonHarness(std::string config, std::string socket, std::string db, std::string log)
    : config_(std::move(config)), socket_(std::move(socket)), db_(std::move(db)), log_(std::move(log)) {}

DaemonHarness::DaemonHarness(const TempDir& dir)
    : DaemonHarness(dir.file("netwarden.toml"), dir.file("nw.sock"), dir.file("state/netwarden.db"),
                    dir.file("daemon.log")) {}

void DaemonHarness::start(std::vector<std::string> extra, const std::vector<std::string>& env) {
  std::vector<std::string> args{binary("NETWARDEN_DAEMON", "daemon/netwardend"), "--config", config_};
  args.insert(args.end(), extra.begin(), extra.end());
  daemon_ = std::make_unique<ChildProcess>(std::move(args), log_, env);
}

Finished DaemonHarness::netwardend(std::vector<std::string> args) const {
  args.insert(args.begin(), binary("NETWARDEN_DAEMON", "daemon/netwardend"));
  return run_program(args);
}

void DaemonHarness::kill9() {
  daemon_->signal(SIGKILL);
  daemon_->wait(std::chrono::seconds(10));
}

int DaemonHarness::stop() {
  daemon_->signal(SIGTERM);
  return daemon_->wait(std::chrono::seconds(10));
}

bool DaemonHarness::running() const { return daemon_ && daemon_->running(); }

void DaemonHarness::signal(int signo) const { daemon_->signal(signo); }

pid_t DaemonHarness::pid() const { return daemon_ ? daemon_->pid() : -1; }

Finished DaemonHarness::ctl(std::vector<std::string> args) const {
  args.insert(args.begin(), {binary("NETWARDEN_CTL", "ctl/netwardenctl"), "--socket", socket_});
  return run_program(args);
}

boost::json::value DaemonHarness::ctl_json(std::vector<std::string> args) const {
  args.insert(args.begin(), "--json");
  Finished f = ctl(std::move(args));
  if (f.exit_code != 0) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(f.out, ec);
  return ec ? boost::json::value(nullptr) : value;
}

bool DaemonHarness::wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  for (auto deadline = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < deadline;) {
    if (done()) return true;
    if (!running()) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

std::int64_t DaemonHarness::checks_completed() const {
  const boost::json::value status = ctl_json({"status"});
  return status.is_object() ? status.at("checks_completed").to_number<std::int64_t>() : -1;
}

bool DaemonHarness::wait_checks_grown(std::int64_t n, std::chrono::milliseconds limit) {
  std::int64_t start = -1;
  return wait_until(
      [&] {
        const std::int64_t now = checks_completed();
        if (start < 0) start = now;
        return start >= 0 && now >= start + n;
      },
      limit);
}

std::string DaemonHarness::sql(const std::string& query) const {
  // Waits out the running daemon's write lock rather than failing on it.
  return run_program({"/usr/bin/sqlite3", "-cmd", ".timeout 10000", db_, query}).out;
}

std::string DaemonHarness::log() const { return read_file(log_); }

}  // namespace netwarden::test
