#include "tests/support/child_process.h"

#include "tests/support/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <thread>

namespace netwarden::test {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Finished run_program(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  // Built before fork: the child of a process with other threads (a test's
  // io thread) may only make async-signal-safe calls, so no allocation.
  auto args = c_argv(argv);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  Finished f;
  const auto deadline = Clock::now() + limit;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0 && Clock::now() < deadline) {
    if (poll(fds, 2, 50) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? f.out : f.err).append(buf, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  f.exit_code = *reap(pid, std::max(left, std::chrono::milliseconds(1)), true);
  return f;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path,
                           const std::vector<std::string>& env) {
  auto pid = spawn(argv, log_path, env);
  if (!pid) throw std::runtime_error(pid.error().message);
  pid_ = *pid;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::signal(int signo) const {
  if (pid_ > 0) kill(pid_, signo);
}

int ChildProcess::wait(std::chrono::milliseconds limit) {
  if (pid_ < 0) return exit_code_;
  auto code = reap(pid_, limit, false);
  if (!code) return -1;
  pid_ = -1;
  exit_code_ = *code;
  return exit_code_;
}

bool ChildProcess::running() {
  if (pid_ > 0) wait(std::chrono::milliseconds(0));
  return pid_ > 0;
}

std::string built_binary(const std::string& relative) {
  const char* dir = std::getenv("NETWARDEN_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/" + relative;
}

}  // namespace netwarden::test
