#include "probes/attachments/extract_sandbox.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>

#include "common/os_error.h"
#include "common/spawn_group.h"
#include "probes/attachments/child_outcome.h"

namespace netwarden {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using attachment_detail::ChildEnd;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// The frame's header line, beyond the text.
constexpr std::size_t kHeaderRoom = 128;

std::string extract_program(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path beside = self.parent_path() / "netwarden-extract";
    if (std::filesystem::exists(beside, error)) return beside.string();
  }
  return NETWARDEN_EXTRACT_PROGRAM;
}

// The bytes in a memory file sealed against change, as the child's stdin
// (a copy in memory: a few milliseconds for the largest attachment). Not a
// pipe: the child reads at its own pace, with nothing for the daemon to
// feed or to get SIGPIPE from, and FreeXL can open it by name.
Result<int> input_file(const std::string& bytes) {
  const int fd = memfd_create("netwarden-attachment", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return fail_errno("cannot make a memory file for the attachment");
  std::size_t written = 0;
  ssize_t n = 0;
  while (written < bytes.size() && (n = ::write(fd, bytes.data() + written, bytes.size() - written)) > 0) {
    written += static_cast<std::size_t>(n);
  }
  const bool filled = written == bytes.size() &&
                      ::fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) == 0 &&
                      ::lseek(fd, 0, SEEK_SET) == 0;
  if (!filled) {
    const int err = errno;
    ::close(fd);
    return fail_errno("cannot fill a memory file for the attachment", err);
  }
  return fd;
}

struct Started {
  pid_t pid;
  int output;  // the read end of the child's stdout
  int pidfd;
};

Result<Started> start_child(const std::string& bytes, AttachmentKind kind, const ExtractLimits& limits) {
  Result<int> input = input_file(bytes);
  if (!input) return std::unexpected(input.error());
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ::close(*input);
    return fail_errno("cannot make a pipe for netwarden-extract");
  }
  const std::vector<std::string> argv{extract_program(limits.program), std::string(to_string(kind)),
                                      std::to_string(limits.cpu.count()), std::to_string(limits.memory),
                                      std::to_string(limits.max_text)};
  Result<pid_t> pid = spawn_in_own_group(argv, *input, pipe_fds[1]);
  ::close(*input);
  ::close(pipe_fds[1]);
  if (!pid) {
    ::close(pipe_fds[0]);
    return std::unexpected(pid.error());
  }
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0));
  if (pidfd < 0) {
    const int err = errno;
    ::kill(*pid, SIGKILL);
    ::waitpid(*pid, nullptr, 0);
    ::close(pipe_fds[0]);
    return fail_errno("cannot watch netwarden-extract (pidfd_open)", err);
  }
  return Started{*pid, pipe_fds[0], pidfd};
}

// Everything the child writes until it closes its stdout; false when it
// writes more than `limit`.
asio::awaitable<bool> read_answer(asio::posix::stream_descriptor& output, std::string& answer, std::size_t limit) {
  char buffer[65536];
  for (;;) {
    const auto [error, n] = co_await output.async_read_some(asio::buffer(buffer), nothrow);
    answer.append(buffer, n);
    if (answer.size() > limit) co_return false;
    if (error) co_return true;  // end of file, or the pipe broke: the exit status tells
  }
}

// Waits for the child's answer and exit within the wall-clock limit,
// killing it when it passes or when it writes too much.
asio::awaitable<ChildEnd> await_child(asio::any_io_executor executor, const Started& child, std::string& answer,
                                      const ExtractLimits& limits) {
  asio::posix::stream_descriptor output(executor, child.output);
  asio::posix::stream_descriptor exited(executor, child.pidfd);
  asio::steady_timer deadline(executor, limits.wall);
  ChildEnd end;
  const auto read =
      co_await (read_answer(output, answer, limits.max_text + kHeaderRoom) || deadline.async_wait(nothrow));
  end.timed_out = read.index() == 1;
  end.overlong = read.index() == 0 && !std::get<0>(read);
  if (!end.timed_out && !end.overlong) {
    // Stdout closed; the exit follows, unless the child lingers.
    const auto wait = co_await (exited.async_wait(asio::posix::stream_descriptor::wait_read, nothrow) ||
                                deadline.async_wait(nothrow));
    end.timed_out = wait.index() == 1;
  }
  if (end.timed_out || end.overlong) ::kill(-child.pid, SIGKILL);
  // Prompt after SIGKILL or once the pidfd said so: the io thread waits
  // only for the kernel to finish the exit.
  ::wait4(child.pid, &end.status, 0, &end.usage);
  co_return end;
}

}  // namespace

asio::awaitable<Result<ExtractedText>> extract_in_child(asio::any_io_executor executor, std::string bytes,
                                                        AttachmentKind kind, ExtractLimits limits) {
  Result<Started> child = start_child(bytes, kind, limits);
  if (!child) co_return std::unexpected(Error{"cannot run netwarden-extract: " + child.error().message});
  bytes = std::string();  // the child has its copy
  std::string answer;
  const ChildEnd end = co_await await_child(executor, *child, answer, limits);
  co_return attachment_detail::judge_child(end, answer, limits);
}

}  // namespace netwarden
