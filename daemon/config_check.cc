#include "daemon/config_check.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>

#include "common/os_error.h"
#include "common/spawn_group.h"

namespace netwarden {
namespace {

constexpr std::size_t kPrintedLimit = std::size_t{16} * 1024;

void kill_and_reap(pid_t pid, int* status) {
  ::kill(-pid, SIGKILL);
  while (::waitpid(pid, status, 0) < 0 && errno == EINTR) {}
}

}  // namespace

ConfigCheck::ConfigCheck(const boost::asio::any_io_executor& executor, std::vector<std::string> argv, Duration timeout)
    : executor_(executor),
      argv_(std::move(argv)),
      timeout_(timeout),
      output_(executor),
      exited_(executor),
      timer_(executor) {}

ConfigCheck::~ConfigCheck() {
  if (pid_ > 0) kill_and_reap(pid_, nullptr);
}

void ConfigCheck::start(Done done) {
  done_ = std::move(done);
  running_ = true;
  killed_ = false;
  printed_.clear();
  const auto cannot = [this](std::string why) {
    boost::asio::post(executor_, [this, why = std::move(why)] {
      running_ = false;
      Done done = std::move(done_);
      done(fail("cannot check the configuration: " + why));
    });
  };
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return cannot("pipe: " + errno_text());
  const int nothing = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  Result<pid_t> pid = nothing < 0 ? fail_errno("/dev/null") : spawn_in_own_group(argv_, nothing, fds[1]);
  if (nothing >= 0) ::close(nothing);
  ::close(fds[1]);
  if (!pid) {
    ::close(fds[0]);
    return cannot(pid.error().message);
  }
  // The raw system call: glibc 2.36's <sys/pidfd.h> lacks C linkage in C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0));
  if (pidfd < 0) {
    const std::string why = errno_text();
    kill_and_reap(*pid, nullptr);
    ::close(fds[0]);
    return cannot("pidfd_open: " + why);
  }
  pid_ = *pid;
  output_.assign(fds[0]);
  exited_.assign(pidfd);
  parts_left_ = 2;
  read_output();
  exited_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code) {
    // Reaped only now: until then the zombie keeps its group's id from
    // being reused, so the kill reaches only what it left behind.
    kill_and_reap(pid_, &status_);
    pid_ = -1;
    exited_.close();
    part_finished();
  });
  timer_.expires_after(timeout_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) cancel();
  });
}

void ConfigCheck::cancel() {
  if (pid_ <= 0 || killed_) return;
  killed_ = true;
  ::kill(-pid_, SIGKILL);
}

void ConfigCheck::read_output() {
  output_.async_read_some(boost::asio::buffer(buffer_), [this](boost::system::error_code ec, std::size_t n) {
    printed_.append(buffer_.data(), std::min(n, kPrintedLimit - printed_.size()));
    if (!ec) return read_output();
    output_.close();
    part_finished();
  });
}

void ConfigCheck::part_finished() {
  if (--parts_left_ > 0) return;
  timer_.cancel();
  running_ = false;
  Done done = std::move(done_);
  done(outcome(status_));
}

Result<void> ConfigCheck::outcome(int status) const {
  std::string said = printed_;
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  for (std::size_t at = said.find('\n'); at != std::string::npos; at = said.find('\n', at + 3))
    said.insert(at + 1, "  ");
  if (!said.empty()) said = ":\n  " + said;
  const std::string what = "the configuration check";
  if (killed_) {
    return fail(what + " did not finish within " + std::to_string(timeout_.count()) + "ms and was killed" + said);
  }
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return fail(what + " was killed by signal " + std::to_string(WTERMSIG(status)) +
                (name ? std::string(" (SIG") + name + ")" : "") + said);
  }
  if (WEXITSTATUS(status) != 0) return fail(what + " exited with status " + std::to_string(WEXITSTATUS(status)) + said);
  return {};
}

}  // namespace netwarden
