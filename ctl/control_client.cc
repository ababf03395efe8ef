#include "ctl/control_client.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>

#include "common/os_error.h"

namespace netwarden {

namespace {

// Far above any real response; only stops a broken peer from exhausting memory.
constexpr std::size_t max_response = std::size_t{64} * 1024 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string os_error(int err) {
  if (err == EAGAIN || err == EWOULDBLOCK || err == EINPROGRESS) return "timed out";
  return errno_text(err);
}

Result<void> set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
    return fail_errno("cannot set socket timeouts");
  }
  return {};
}

Result<void> send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot send the request: " + os_error(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<std::string> receive_line(int fd) {
  std::string line;
  char chunk[8192];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("no reply: " + os_error(errno));
    if (n == 0) return fail("the daemon closed the connection without replying");
    line.append(chunk, static_cast<std::size_t>(n));
    if (auto end = line.find('\n'); end != std::string::npos) {
      line.resize(end);
      return line;
    }
    if (line.size() > max_response) return fail("reply longer than " + std::to_string(max_response) + " bytes");
  }
}

}  // namespace

Result<boost::json::object> call_daemon(const ControlCall& call) {
  const auto& path = call.socket_path;
  sockaddr_un addr{};
  if (path.empty() || path.size() >= sizeof addr.sun_path) return fail("invalid socket path '" + path + "'");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());

  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return fail_errno("cannot create a socket");
  if (auto ok = set_timeouts(fd.get(), call.timeout); !ok) return std::unexpected(ok.error());
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return fail("cannot connect to " + path + ": " + os_error(errno) + " (is netwardend running?)");
  }

  boost::json::object request{{"command", call.command}, {"args", call.args}};
  auto sent = send_all(fd.get(), boost::json::serialize(request) + "\n");
  if (!sent) return fail(path + ": " + sent.error().message);
  auto line = receive_line(fd.get());
  if (!line) return fail(path + ": " + line.error().message);

  boost::system::error_code ec;
  auto response = boost::json::parse(*line, ec);
  if (ec || !response.is_object()) return fail(path + ": the daemon's reply is not a JSON object");
  return std::move(response.get_object());
}

}  // namespace netwarden
