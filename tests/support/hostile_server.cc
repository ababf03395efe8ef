#include "tests/support/hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

namespace netwarden::test {

namespace {

constexpr int kTrickleMs = 100;

struct Client {
  int fd;
  bool answered = false;
};

void send_all(int fd, std::string_view data) { (void)send(fd, data.data(), data.size(), MSG_NOSIGNAL); }

// Returns whether the connection stays open.
bool answer(HostileMode mode, int fd) {
  switch (mode) {
    case HostileMode::silent: return true;
    case HostileMode::trickle:
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n");
      return true;
    case HostileMode::malformed: send_all(fd, "HTCPCP/1.0 I'm a teapot\r\n\r\n"); return false;
    case HostileMode::close_mid_header: send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/ht"); return false;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<HostileServer>> HostileServer::start(HostileMode mode) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string reason = std::strerror(errno);
    close(fd);
    return fail("cannot listen on 127.0.0.1: " + reason);
  }
  int wake = eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    close(fd);
    return fail(std::string("eventfd: ") + std::strerror(errno));
  }
  return std::unique_ptr<HostileServer>(new HostileServer(mode, fd, wake, ntohs(addr.sin_port)));
}

HostileServer::HostileServer(HostileMode mode, int listen_fd, int wake_fd, int port)
    : mode_(mode), listen_fd_(listen_fd), wake_fd_(wake_fd), port_(port), thread_([this] { serve(); }) {}

HostileServer::~HostileServer() {
  std::uint64_t one = 1;
  // Adding 1 to a fresh eventfd cannot fail; and under the fortified libc
  // a (void) cast does not silence write()'s warn_unused_result.
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
  thread_.join();
  close(wake_fd_);
  close(listen_fd_);
}

std::string HostileServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HostileServer::serve() {
  std::vector<Client> clients;
  std::vector<pollfd> fds;
  for (;;) {
    fds.assign({{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}});
    for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
    int ready = poll(fds.data(), fds.size(), kTrickleMs);
    if (ready < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) break;
    const std::size_t polled = clients.size();
    if (fds[1].revents & POLLIN) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        clients.push_back({fd});
        ++connections_;
      }
    }
    std::vector<Client> still_open;
    for (std::size_t i = 0; i < clients.size(); ++i) {
      Client c = clients[i];
      bool open = true;
      if (i < polled && fds[i + 2].revents != 0) {
        char buf[4096];
        ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n <= 0) {
          open = false;
        } else if (!c.answered) {
          c.answered = true;
          open = answer(mode_, c.fd);
        }
      }
      if (open && c.answered && mode_ == HostileMode::trickle) send_all(c.fd, "1\r\nx\r\n");
      if (open) {
        still_open.push_back(c);
      } else {
        close(c.fd);
      }
    }
    clients.swap(still_open);
  }
  for (const auto& c : clients) close(c.fd);
}

}  // namespace netwarden::test
