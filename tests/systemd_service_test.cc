// End to end: what the real netwardend tells systemd and journald. The test
// plays systemd's part: a datagram socket named by NOTIFY_SOCKET, the
// watchdog variables, and a log stream named by JOURNAL_STREAM.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/free_port.h"
#include "tests/support/minimal_world.h"
#include "tests/support/spawn.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The socket systemd listens on for sd_notify(3) messages.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool bound() const { return bound_; }
  const std::string& path() const { return path_; }

  // The next message, or nothing when none came before `deadline`.
  std::optional<std::string> next(Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 1))) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n >= 0) return std::string(buf, static_cast<std::size_t>(n));
    }
    return std::nullopt;
  }

  // Reads messages until one satisfies `wanted` (returned) or `limit` passes;
  // every message read is appended to `seen`.
  std::optional<std::string> wait_for(const std::function<bool(const std::string&)>& wanted,
                                      std::vector<std::string>& seen, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (auto message = next(deadline)) {
      seen.push_back(*message);
      if (wanted(*message)) return message;
    }
    return std::nullopt;
  }

 private:
  std::string path_;
  int fd_;
  bool bound_ = false;
};

std::string config_text(const TempDir& dir, int closed_port) {
  World world{.defaults = "interval = \"200ms\"\ntimeout = \"200ms\"\nchain = \"c\"\n"};
  world.extra = web_target(
      {.id = "portal", .url = "http://127.0.0.1:" + std::to_string(closed_port) + "/", .chain = "", .interval = ""});
  return world_config(dir, world);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += "[" + m + "] ";
  return out;
}

class SystemdServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    const int port = free_loopback_port();
    ASSERT_NE(port, 0);
    std::ofstream(dir_.file("netwarden.toml")) << config_text(dir_, port);
  }

  // netwardend under a shell that, like systemd, names the daemon's own pid
  // in WATCHDOG_PID before exec'ing it.
  std::unique_ptr<ChildProcess> start(const std::vector<std::string>& env) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", "WATCHDOG_PID=$$ exec \"$0\" --config \"$1\"",
                                 built_binary("daemon/netwardend"), dir_.file("netwarden.toml")},
        log_path(), env);
  }

  std::string log_path() const { return dir_.file("netwardend.log"); }
  std::string log() const { return read_file(log_path()); }

  TempDir dir_{"netwarden-systemd"};
};

TEST_F(SystemdServiceTest, ReadyStatusWatchdogAndStopping) {
  NotifySocket notify(dir_.file("notify.sock"));
  ASSERT_TRUE(notify.bound());
  auto daemon = start({"NOTIFY_SOCKET=" + notify.path(), "WATCHDOG_USEC=200000"});
  std::vector<std::string> seen;

  auto ready = notify.wait_for([](const std::string&) { return true; }, seen, 10s);
  ASSERT_TRUE(ready) << log();
  EXPECT_EQ(*ready, "READY=1") << "the first message";
  // READY=1 promises a working daemon: the control socket is there.
  EXPECT_TRUE(std::filesystem::exists(dir_.file("nw.sock")));

  // The first status is taken before any check has finished.
  auto first_status = notify.wait_for([](const std::string& m) { return m.starts_with("STATUS="); }, seen, 5s);
  ASSERT_TRUE(first_status) << joined(seen);
  EXPECT_EQ(*first_status, "STATUS=1 target: 0 up, 0 down; 0 open incidents; mail: 0 queued, 0 failed");

  // The watchdog at half of WATCHDOG_USEC: every 100 ms.
  const auto counted_from = Clock::now();
  int pings = 0;
  notify.wait_for([&](const std::string& m) { return m == "WATCHDOG=1" && ++pings == 5; }, seen, 2s);
  EXPECT_EQ(pings, 5) << joined(seen);
  EXPECT_LT(Clock::now() - counted_from, 1s);

  // The next status, five seconds on, sees the closed port.
  auto later_status =
      notify.wait_for([](const std::string& m) { return m.starts_with("STATUS=1 target: 0 up, 1 down; "); }, seen, 8s);
  ASSERT_TRUE(later_status) << joined(seen);
  EXPECT_TRUE(std::regex_match(*later_status, std::regex(R"(STATUS=1 target: 0 up, 1 down; \d+ open incidents?; )"
                                                         R"(mail: \d+ queued, 0 failed)")))
      << *later_status;

  daemon->signal(SIGTERM);
  auto stopping = notify.wait_for([](const std::string& m) { return m == "STOPPING=1"; }, seen, 10s);
  EXPECT_TRUE(stopping) << joined(seen);
  EXPECT_EQ(daemon->wait(10s), 0) << log();
  // Nothing after STOPPING=1: the timers ended with it.
  EXPECT_FALSE(notify.next(Clock::now() + 300ms));

  // Not bound for the journal, but not a terminal either: every line
  // carries its priority, then the timestamp.
  for (const std::string& line : lines_of(log())) {
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(^<[2-7]>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} )"))) << line;
  }
}

// systemctl reload: SIGHUP, and the daemon restarts in place (same pid).
TEST_F(SystemdServiceTest, ReloadSaysReloadingThenReadyAgain) {
  NotifySocket notify(dir_.file("notify.sock"));
  ASSERT_TRUE(notify.bound());
  auto daemon = start({"NOTIFY_SOCKET=" + notify.path(), "WATCHDOG_USEC=200000"});
  std::vector<std::string> seen;
  ASSERT_TRUE(notify.wait_for([](const std::string& m) { return m == "READY=1"; }, seen, 10s)) << log();

  daemon->signal(SIGHUP);
  auto reloading = notify.wait_for([](const std::string& m) { return m.starts_with("RELOADING=1"); }, seen, 10s);
  ASSERT_TRUE(reloading) << joined(seen) << log();
  EXPECT_TRUE(std::regex_match(*reloading, std::regex("RELOADING=1\nMONOTONIC_USEC=\\d+\nWATCHDOG=1"))) << *reloading;
  seen.clear();
  ASSERT_TRUE(notify.wait_for([](const std::string& m) { return m == "READY=1"; }, seen, 10s)) << log();
  EXPECT_TRUE(std::ranges::none_of(seen, [](const std::string& m) { return m.starts_with("STOPPING=1"); }))
      << joined(seen);
  EXPECT_TRUE(notify.wait_for([](const std::string& m) { return m == "WATCHDOG=1"; }, seen, 2s)) << joined(seen);
  EXPECT_TRUE(daemon->running());

  daemon->signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for([](const std::string& m) { return m == "STOPPING=1"; }, seen, 10s)) << joined(seen);
  EXPECT_EQ(daemon->wait(10s), 0) << log();
}

TEST_F(SystemdServiceTest, JournalLinesCarryTheirPriority) {
  std::ofstream(log_path()).close();
  struct stat st {};
  ASSERT_EQ(::stat(log_path().c_str(), &st), 0);
  auto daemon =
      start({"JOURNAL_STREAM=" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino), "NOTIFY_SOCKET="});
  const auto deadline = Clock::now() + 10s;
  while (log().find("'portal': down") == std::string::npos && Clock::now() < deadline && daemon->running()) {
    std::this_thread::sleep_for(50ms);
  }
  daemon->signal(SIGTERM);
  ASSERT_EQ(daemon->wait(10s), 0) << log();

  const std::vector<std::string> lines = lines_of(log());
  for (const std::string& line : lines) {
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(<[2-7]>(critical|error|warning|info|debug|trace) .*)"))) << line;
  }
  auto has = [&](const std::string& start) {
    return std::ranges::any_of(lines, [&](const std::string& l) { return l.starts_with(start); });
  };
  EXPECT_TRUE(has("<6>info netwardend " NETWARDEN_VERSION " started")) << log();
  EXPECT_TRUE(has("<4>warning target 'portal': down")) << log();
  EXPECT_TRUE(has("<6>info netwardend stopped")) << log();
}

}  // namespace
}  // namespace netwarden::test
