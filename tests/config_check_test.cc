#include "daemon/config_check.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>

namespace netwarden {
namespace {

using namespace std::chrono_literals;

struct Checked {
  Result<void> result;
  std::chrono::steady_clock::duration took;
};

// Runs `argv` as the check (cancelled at once if asked) and waits for its
// verdict.
Checked run(const std::vector<std::string>& argv, Duration timeout, bool cancel = false) {
  boost::asio::io_context io;
  ConfigCheck checker(io.get_executor(), argv, timeout);
  std::optional<Result<void>> result;
  const auto started = std::chrono::steady_clock::now();
  checker.start([&](Result<void> r) { result = std::move(r); });
  EXPECT_TRUE(checker.running());
  if (cancel) checker.cancel();
  io.run();
  EXPECT_FALSE(checker.running());
  EXPECT_TRUE(result.has_value());
  return Checked{result.value_or(fail("no verdict")), std::chrono::steady_clock::now() - started};
}

Checked check(const std::string& script, Duration timeout = 10s) { return run({"/bin/sh", "-c", script}, timeout); }

std::string error_of(const Checked& c) { return c.result ? "(no error)" : c.result.error().message; }

TEST(ConfigCheckTest, ExitZeroIsValid) {
  Checked c = check("echo checked; exit 0");
  EXPECT_TRUE(c.result.has_value()) << error_of(c);
}

TEST(ConfigCheckTest, AnErrorExitQuotesWhatTheCheckPrinted) {
  Checked c = check("echo '/etc/nw.toml:1:1: bad' >&2; echo 'netwardend: 1 error(s)'; exit 1");
  EXPECT_EQ(error_of(c),
            "the configuration check exited with status 1:\n  /etc/nw.toml:1:1: bad\n  netwardend: 1 error(s)");
}

TEST(ConfigCheckTest, ACrashIsReportedWithItsSignal) {
  Checked c = check("echo parsing >&2; kill -SEGV $$");
  EXPECT_EQ(error_of(c), "the configuration check was killed by signal 11 (SIGSEGV):\n  parsing");
}

TEST(ConfigCheckTest, AHangingCheckIsKilledAtTheTimeout) {
  Checked c = check("echo started; exec sleep 60", 300ms);
  EXPECT_EQ(error_of(c), "the configuration check did not finish within 300ms and was killed:\n  started");
  EXPECT_LT(c.took, 10s);
}

// A helper left behind holding the output open neither delays the verdict
// nor survives it.
TEST(ConfigCheckTest, WhatTheCheckLeavesBehindIsKilled) {
  Checked c = check("sleep 60 & exit 0");
  EXPECT_TRUE(c.result.has_value()) << error_of(c);
  EXPECT_LT(c.took, 10s);
}

TEST(ConfigCheckTest, OutputIsCutAt16KiB) {
  Checked c = check("head -c 100000 /dev/zero | tr '\\0' x; exit 2");
  ASSERT_FALSE(c.result.has_value());
  EXPECT_EQ(c.result.error().message.size(),
            std::string("the configuration check exited with status 2:\n  ").size() + 16 * 1024);
}

TEST(ConfigCheckTest, AProgramThatCannotRunIsReported) {
  Checked c = run({"/nonexistent/netwardend", "--check-config"}, 10s);
  EXPECT_EQ(error_of(c),
            "cannot check the configuration: cannot run /nonexistent/netwardend: No such file or directory");
}

TEST(ConfigCheckTest, CancelKillsTheCheck) {
  Checked c = run({"/bin/sleep", "60"}, 60s, true);
  EXPECT_EQ(error_of(c), "the configuration check did not finish within 60000ms and was killed");
  EXPECT_LT(c.took, 10s);
}

}  // namespace
}  // namespace netwarden
