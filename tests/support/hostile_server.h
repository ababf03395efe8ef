// HostileServer: an HTTP peer on 127.0.0.1 that misbehaves on purpose, for
// testing how clients cope with servers that hang, lie or break mid-answer.
//
// It runs on its own thread with plain POSIX sockets and serves any number
// of connections, each the same way: it waits for the request's first bytes,
// then acts out the mode. The destructor stops the thread and closes every
// socket.
//
//   auto server = HostileServer::start(HostileMode::trickle);
//   ASSERT_TRUE(server) << server.error().message;
//   fetch((*server)->url());   // expect a timeout
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"

namespace netwarden::test {

enum class HostileMode {
  silent,            // reads the request, never answers
  trickle,           // a valid chunked header, then a one-byte chunk about every 100 ms, forever
  malformed,         // a garbage status line, then closes
  close_mid_header,  // half a response header, then closes
};

class HostileServer {
 public:
  static Result<std::unique_ptr<HostileServer>> start(HostileMode mode);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const;    // "http://127.0.0.1:PORT/path"
  int connections() const { return connections_.load(); }  // accepted so far

 private:
  HostileServer(HostileMode mode, int listen_fd, int wake_fd, int port);
  void serve();

  HostileMode mode_;
  int listen_fd_;
  int wake_fd_;  // eventfd: written by the destructor to end serve()
  int port_;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace netwarden::test
