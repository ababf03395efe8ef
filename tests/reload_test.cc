// netwardend's reload (SIGHUP) and --check-config with hostile and empty
// files: the real daemon, its log and netwardenctl.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/daemon_harness.h"
#include "tests/support/free_port.h"
#include "tests/support/minimal_world.h"
#include "tests/support/spawn.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;
using test::built_binary;
using test::DaemonHarness;
using test::Finished;
using test::run_program;
using test::TempDir;

std::string config_text(const TempDir& dir, int closed_port, int targets) {
  test::World world{.log_level = "info", .defaults = "interval = \"1s\"\ntimeout = \"500ms\"\nchain = \"c\"\n"};
  for (int i = 1; i <= targets; ++i) {
    world.extra += test::web_target({.id = "site" + std::to_string(i),
                                     .url = "http://127.0.0.1:" + std::to_string(closed_port) + "/",
                                     .chain = "",
                                     .interval = ""});
  }
  return test::world_config(dir, world);
}

std::string deep_text() {
  std::string text;
  for (int i = 0; i < 31000; ++i) text += "t.";
  return text + "t = 1\n";
}

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    port_ = test::free_loopback_port();
    ASSERT_NE(port_, 0);
    write(config_text(dir_, port_, 1));
  }

  void write(const std::string& text) const { std::ofstream(dir_.file("netwarden.toml")) << text; }

  int target_count() const {
    boost::json::value answer = daemon_.ctl_json({"targets"});
    return answer.is_object() ? static_cast<int>(answer.at("targets").as_array().size()) : -1;
  }

  bool logged(const std::string& text) const { return daemon_.log().find(text) != std::string::npos; }

  // SIGHUP with `text` as the new file: the daemon logs why it keeps its
  // configuration (containing `reason`), keeps running and still answers.
  void expect_refused_reload(const std::string& text, const std::string& reason) {
    const pid_t pid = daemon_.pid();
    write(text);
    daemon_.signal(SIGHUP);
    ASSERT_TRUE(daemon_.wait_until([&] { return logged(reason); }, 20s)) << daemon_.log();
    EXPECT_TRUE(logged("SIGHUP: not reloading, carrying on with the running configuration: ")) << daemon_.log();
    EXPECT_TRUE(daemon_.running());
    EXPECT_EQ(daemon_.pid(), pid);
    Finished status = daemon_.ctl({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_EQ(target_count(), 1);
  }

  TempDir dir_{"netwarden-reload"};
  int port_ = 0;
  DaemonHarness daemon_{dir_};
};

// A file that crashed toml++ (31,000 dotted segments) once took the running
// daemon down on SIGHUP without a log line.
TEST_F(ReloadTest, HostileFilesLeaveTheRunningDaemonAsItWas) {
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return target_count() == 1; })) << daemon_.log();

  expect_refused_reload(deep_text(), "netwarden.toml:1:129: nested more than 64 levels deep");
  expect_refused_reload("s = \"\"\"\\\n\xc2\xa7\"\"\"\n", "netwarden.toml:2:1: U+00A7 after a backslash");
  expect_refused_reload("[daemon]\n", "netwarden.toml:1:1: nothing to watch");

  // A good file still reloads, in place.
  const pid_t pid = daemon_.pid();
  write(config_text(dir_, port_, 2));
  daemon_.signal(SIGHUP);
  ASSERT_TRUE(daemon_.wait_until([&] { return target_count() == 2; }, 20s)) << daemon_.log();
  EXPECT_EQ(daemon_.pid(), pid);
  EXPECT_EQ(daemon_.stop(), 0) << daemon_.log();
}

TEST_F(ReloadTest, CheckConfigRefusesAnEmptyConfigUnlessAllowed) {
  write("[daemon]\nlog_level = \"debug\"\n");
  const std::string config = dir_.file("netwarden.toml");
  Finished refused = run_program({built_binary("daemon/netwardend"), "--check-config", "--config", config});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, config +
                             ":1:1: nothing to watch: no [targets.*] and no [isolation.*] (netwardend --allow-empty "
                             "accepts that)\nnetwardend: " +
                             config + ": 1 error(s)\n");
  Finished allowed =
      run_program({built_binary("daemon/netwardend"), "--check-config", "--allow-empty", "--config", config});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;

  write(deep_text());
  Finished deep = run_program({built_binary("daemon/netwardend"), "--check-config", "--config", config});
  EXPECT_EQ(deep.exit_code, 1) << "not a crash";
  EXPECT_NE(deep.err.find(config + ":1:129: nested more than 64 levels deep"), std::string::npos) << deep.err;
}

}  // namespace
}  // namespace netwarden
