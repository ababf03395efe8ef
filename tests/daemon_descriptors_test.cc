// End to end: what the real netwardend leaves open to the programs it starts,
// whether it comes back at once after a crash while one of them still runs,
// and what it logs about refused changes. The site is a closed loopback port,
// so it is down at once; the e-mail about it goes through a sendmail
// stand-in script in the test's directory.
#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/spawn.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DaemonDescriptorsTest : public ::testing::Test {
 protected:
  // `body` runs after the stand-in has appended its pid to `started`.
  void write_config(const std::string& body) {
    const std::string script = dir_.file("sendmail");
    std::ofstream(script) << "#!/bin/sh\necho $$ >> " + dir_.file("started") + "\n" + body + "\n";
    fs::permissions(script, fs::perms::owner_all);
    World world;
    world.mail = "[mail]\ntransport = \"sendmail\"\nfrom = \"netwarden@example.edu.cn\"\nsendmail = \"" + script +
                 "\"\ntimeout = \"60s\"\nretry_max = \"1s\"\n";
    world.extra = web_target({.id = "site", .url = closed_port_url()});
    std::ofstream(dir_.file("netwarden.toml")) << world_config(dir_, world);
  }

  // The pids the stand-in recorded, one per run.
  std::vector<pid_t> stand_ins() const {
    std::vector<pid_t> pids;
    std::istringstream lines(read_file(dir_.file("started")));
    for (pid_t pid; lines >> pid;) pids.push_back(pid);
    return pids;
  }

  bool answers() const { return daemon_.ctl({"status"}).exit_code == 0; }

  void TearDown() override {
    // The stand-ins run in process groups of their own; none outlives the test.
    for (pid_t pid : stand_ins()) ::kill(-pid, SIGKILL);
  }

  TempDir dir_{"netwarden-fds"};
  DaemonHarness daemon_{dir_};
};

// A process's descriptors as "FD -> TARGET", without those pointing at
// `except`.
std::set<std::string> descriptors_of(pid_t pid, const std::string& except) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = fs::read_symlink(entry.path(), ec).string();
    if (target != except) out.insert(entry.path().filename().string() + " -> " + target);
  }
  return out;
}

TEST_F(DaemonDescriptorsTest, SendmailGetsOnlyStandardInputOutputAndError) {
  // The stand-in becomes `sleep` (same pid), which holds exactly what the
  // daemon gave it, and not the shell's bookkeeping during redirections.
  // The shell's descriptor for the script it was reading is left out, in
  // case the shell did not open it close-on-exec.
  write_config("cat > /dev/null\nexec sleep 60");
  daemon_.start();
  pid_t child = -1;
  ASSERT_TRUE(daemon_.wait_until([&] {
    if (stand_ins().empty()) return false;
    child = stand_ins().front();
    std::error_code ec;
    return fs::read_symlink("/proc/" + std::to_string(child) + "/exe", ec).filename() == "sleep";
  })) << daemon_.log();
  const std::set<std::string> seen = descriptors_of(child, dir_.file("sendmail"));
  std::set<std::string> numbers;
  for (const std::string& d : seen) numbers.insert(d.substr(0, d.find(' ')));
  std::string listing;
  for (const std::string& d : seen) listing += d + "\n";
  EXPECT_EQ(numbers, (std::set<std::string>{"0", "1", "2"})) << listing;
}

TEST_F(DaemonDescriptorsTest, EveryDescriptorOfTheDaemonIsCloseOnExec) {
  write_config("cat > /dev/null");
  daemon_.start();
  // Running, its site checked and found down, its e-mail sent: every part
  // has opened what it keeps open.
  ASSERT_TRUE(daemon_.wait_until([&] { return !stand_ins().empty() && answers(); })) << daemon_.log();
  const std::string fdinfo = "/proc/" + std::to_string(daemon_.pid()) + "/fdinfo";
  int looked_at = 0;
  for (const auto& entry : fs::directory_iterator(fdinfo)) {
    const int fd = std::stoi(entry.path().filename().string());
    if (fd <= 2) continue;  // the test's own standard descriptors
    const std::string info = read_file(entry.path().string());
    if (info.empty()) continue;  // closed meanwhile
    static const std::regex flags(R"(flags:\s*([0-7]+))");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, flags)) << info;
    const std::string target =
        fs::read_symlink("/proc/" + std::to_string(daemon_.pid()) + "/fd/" + entry.path().filename().string()).string();
    EXPECT_NE(std::stoul(m[1].str(), nullptr, 8) & 02000000, 0u)
        << "descriptor " << fd << " (" << target << ") is not close-on-exec";
    ++looked_at;
  }
  // The database and its WAL, the control socket, Asio's epoll and eventfd...
  EXPECT_GE(looked_at, 5);
}

// A sendmail still running when the daemon is killed must not keep the
// control socket alive: the restart would find it "in use" and give up.
TEST_F(DaemonDescriptorsTest, RestartsAtOnceAfterKill9WhileSendmailRuns) {
  write_config("cat > /dev/null\nexec sleep 60");
  for (std::size_t round = 1; round <= 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    daemon_.start();
    ASSERT_TRUE(daemon_.wait_until([&] { return stand_ins().size() >= round && answers(); }, 20s)) << daemon_.log();
    daemon_.kill9();
    daemon_.start();
    ASSERT_TRUE(daemon_.wait_until([&] { return answers(); }, 5s)) << daemon_.log();
    daemon_.kill9();
  }
}

TEST_F(DaemonDescriptorsTest, RefusedChangesAreLoggedOncePerUidAMinute) {
  write_config("cat > /dev/null");
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return answers(); })) << daemon_.log();
  // Let nobody reach the socket; the daemon judges the change, not the file mode.
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir_.file("nw.sock").c_str(), 0666), 0);
  auto as_nobody = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/setpriv",
                                  "--reuid",
                                  "65534",
                                  "--regid",
                                  "65534",
                                  "--clear-groups",
                                  built_binary("ctl/netwardenctl"),
                                  "--socket",
                                  dir_.file("nw.sock")};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
  };
  const Finished ack = as_nobody({"ack", "1"});
  EXPECT_EQ(ack.exit_code, 1);
  EXPECT_NE(ack.err.find("permission denied: nobody is not root"), std::string::npos) << ack.err;
  EXPECT_EQ(as_nobody({"approve", "site"}).exit_code, 1);
  EXPECT_EQ(as_nobody({"status"}).exit_code, 0);  // reading is open to anyone who can connect

  const std::string log = daemon_.log();
  static const std::regex refused(
      R"( warning control: refused 'ack' from uid 65534 \(pid \d+\): permission denied: nobody is not root )"
      R"(\(no admin_group is configured\))");
  EXPECT_TRUE(std::regex_search(log, refused)) << log;
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = log.find("control: refused", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 1u) << log;
}

}  // namespace
}  // namespace netwarden::test
