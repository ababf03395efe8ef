// transport = "sendmail": `PROGRAM -t -i` reads the message on its standard
// input and takes the recipients from its headers.
//
// The program is started by spawn_in_own_group() (common/spawn_group.h). One
// poll loop feeds it the message, collects what it prints (the first 4 KiB,
// for the error message) and watches for its exit through a pidfd, so a
// program that never reads, never exits or leaves a helper holding its
// output open cannot stall the caller past `timeout`. On timeout the whole
// group is killed and the child reaped: send() never leaves a zombie.
//
// The child gets only its standard input, output and error: every other
// descriptor of the daemon is closed in it (closefrom), whether or not it
// was opened close-on-exec, so no listening socket or database outlives
// the daemon in a sendmail that is still running.
//
// The message is written whole into a memory file (memfd) before the
// program starts, and that file is its standard input: a daemon killed
// while sendmail runs cannot leave it half a message at end of file, which
// it would send as if complete. How far the program read is the file's
// offset, shared with the parent, so a program that exits 0 without reading
// it all is still caught. No pipe is written to, so no SIGPIPE can arise.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "common/os_error.h"
#include "common/spawn_group.h"
#include "daemon/notifier/transport/transports.h"

namespace netwarden::transport_detail {
namespace {

constexpr std::size_t kOutputLimit = 4096;
// sysexits.h: the message or a recipient is wrong; sending again cannot help.
constexpr int kExDataErr = 65;
constexpr int kExNoUser = 67;

// sendmail expects the local line end.
std::string with_lf_line_ends(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') continue;
    out += data[i];
  }
  return out;
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Reads what is there into `output` up to kOutputLimit, dropping the rest.
// False at end of file or on an error other than "nothing yet".
bool read_some(int fd, std::string& output) {
  char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) output.append(buf, std::min(static_cast<std::size_t>(n), kOutputLimit - output.size()));
  return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

// What the child did, as seen from the parent.
struct Outcome {
  int status = 0;  // from waitpid
  bool timed_out = false;
  bool input_cut_short = false;  // it stopped reading before the end
  std::string output;            // stdout and stderr, at most kOutputLimit bytes
};

class SendmailTransport final : public MailTransport {
 public:
  SendmailTransport(std::string program, Duration timeout) : program_(std::move(program)), timeout_(timeout) {}

  std::expected<void, SendFailure> send(const OutgoingMail& mail) override {
    const std::string who = "sendmail " + program_;
    Result<Outcome> ran = run(with_lf_line_ends(mail.data));
    if (!ran) return std::unexpected(SendFailure{who + ": " + ran.error().message, false});
    const Outcome& o = *ran;
    std::string said = o.output.empty() ? "" : ": " + o.output;
    while (said.ends_with('\n')) said.pop_back();
    if (o.timed_out) {
      const std::string limit = std::to_string(timeout_.count()) + "ms";
      return std::unexpected(SendFailure{who + " did not finish within " + limit + " and was killed" + said, false});
    }
    if (WIFSIGNALED(o.status)) {
      const std::string signal = std::to_string(WTERMSIG(o.status));
      return std::unexpected(SendFailure{who + " was killed by signal " + signal + said, false});
    }
    const int code = WEXITSTATUS(o.status);
    if (code != 0) {
      return std::unexpected(SendFailure{who + " exited with status " + std::to_string(code) + said,
                                         code == kExDataErr || code == kExNoUser});
    }
    // Exit 0 without reading the whole message may mean a truncated
    // message went out; a duplicate is better than a silent loss.
    if (o.input_cut_short) {
      return std::unexpected(SendFailure{who + " exited before reading the whole message" + said, false});
    }
    return {};
  }

  std::string describe() const override { return "sendmail via " + program_ + " -t -i"; }

 private:
  Result<Outcome> run(const std::string& input) const;

  std::string program_;
  Duration timeout_;
};

// A running sendmail: its input file, our end of its output, and a pidfd
// that becomes readable when it exits.
struct Child {
  pid_t pid = -1;
  Fd message, from_child, exited;
};

// `input` whole in a memory file, its offset back at the start.
Result<Fd> message_file(const std::string& input) {
  Fd file(::memfd_create("netwarden-mail", MFD_CLOEXEC));
  if (!file.open()) return fail_errno("memfd_create");
  for (std::size_t written = 0; written < input.size();) {
    const ssize_t n = ::write(file.get(), input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail_errno("write the message to a memory file");
    written += static_cast<std::size_t>(n);
  }
  if (::lseek(file.get(), 0, SEEK_SET) != 0) return fail_errno("lseek");
  return file;
}

Result<void> start_child(const std::string& program, const std::string& input, Child& child) {
  auto message = message_file(input);
  if (!message) return std::unexpected(message.error());
  child.message = std::move(*message);
  int pv[2];
  if (::pipe2(pv, O_CLOEXEC) != 0) return fail_errno("pipe");
  Fd child_out(pv[1]);
  child.from_child = Fd(pv[0]);

  Result<pid_t> pid = spawn_in_own_group({program, "-t", "-i"}, child.message.get(), child_out.get());
  if (!pid) return std::unexpected(pid.error());
  // The raw system call: glibc 2.36's <sys/pidfd.h> lacks C linkage in C++.
  child.exited = Fd(static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)));
  if (!child.exited.open()) {
    const std::string why = errno_text();
    ::kill(-*pid, SIGKILL);
    while (::waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {}
    return fail("cannot watch the child (pidfd_open): " + why);
  }
  child.pid = *pid;
  ::fcntl(child.from_child.get(), F_SETFL, O_NONBLOCK);
  return {};
}

// Collects what the child prints until it exits or the deadline passes
// (then out.timed_out).
void converse(Child& child, Duration timeout, Outcome& out) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      out.timed_out = true;
      return;
    }
    pollfd fds[2] = {{child.from_child.get(), POLLIN, 0}, {child.exited.get(), POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(left.count()) + 1) < 0) {
      if (errno == EINTR) continue;
      out.timed_out = true;  // cannot watch it any more: stop it
      return;
    }
    if (fds[0].revents != 0 && !read_some(child.from_child.get(), out.output)) child.from_child.reset();
    if (fds[1].revents != 0) return;  // exited; waitpid reaps it
  }
}

Result<Outcome> SendmailTransport::run(const std::string& input) const {
  Child child;
  if (auto started = start_child(program_, input, child); !started) return std::unexpected(started.error());
  Outcome out;
  converse(child, timeout_, out);
  if (out.timed_out) ::kill(-child.pid, SIGKILL);
  while (::waitpid(child.pid, &out.status, 0) < 0 && errno == EINTR) {}
  // Whatever it printed before exiting, without waiting for helpers it left
  // behind holding the pipe.
  if (child.from_child.open()) read_some(child.from_child.get(), out.output);
  const off_t read_to = ::lseek(child.message.get(), 0, SEEK_CUR);
  out.input_cut_short = read_to < 0 || static_cast<std::size_t>(read_to) < input.size();
  return out;
}

}  // namespace

Result<std::unique_ptr<MailTransport>> make_sendmail_transport(const MailSettings& settings) {
  if (::access(settings.sendmail.c_str(), X_OK) != 0) {
    return fail_errno("cannot run sendmail " + settings.sendmail);
  }
  return std::make_unique<SendmailTransport>(settings.sendmail, settings.timeout);
}

}  // namespace netwarden::transport_detail
