#include "tests/support/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace netwarden::test {

Result<pid_t> spawn(const std::vector<std::string>& argv, const std::string& log_path,
                    const std::vector<std::string>& env) {
  std::vector<char*> args = c_argv(argv);
  std::vector<char*> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string name_is(*e, std::strcspn(*e, "=") + 1);  // "NAME="
    if (std::ranges::none_of(env, [&](const std::string& v) { return v.starts_with(name_is); })) {
      environment.push_back(*e);
    }
  }
  for (const auto& v : env) environment.push_back(const_cast<char*>(v.c_str()));
  environment.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  // Nothing else of the test process: a daemon's descriptors are then all
  // its own, as tests of them expect.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environment.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return fail("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

Result<void> run(const std::vector<std::string>& argv, const std::string& log_path) {
  auto pid = spawn(argv, log_path);
  if (!pid) return std::unexpected(pid.error());
  int status = 0;
  if (waitpid(*pid, &status, 0) != *pid) return fail("cannot wait for " + argv[0]);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(argv[0] + " failed:\n" + read_file(log_path));
  }
  return {};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

Result<void> wait_until_ready(pid_t& pid, const std::string& name, const std::function<bool()>& ready,
                              const std::function<std::string()>& output) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < give_up) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      pid = -1;
      return fail(name + " exited at start:\n" + output());
    }
    if (ready()) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return fail(name + " was not ready within 10s:\n" + output());
}

std::optional<int> reap(pid_t pid, std::chrono::milliseconds limit, bool kill_on_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() >= deadline) {
      if (!kill_on_timeout) return std::nullopt;
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void stop_child(pid_t& pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  reap(pid, std::chrono::seconds(5), true);
  pid = -1;
}

}  // namespace netwarden::test
