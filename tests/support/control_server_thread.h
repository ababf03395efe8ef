// ControlServerThread: a ControlServer on its own io thread, as the daemon
// runs it, for tests that talk to it over the socket from the test thread.
//
//   ControlServerThread server;
//   auto started = server.start({.path = socket_path}, handler);
//   ASSERT_TRUE(started) << started.error().message;
//
// The handler runs on the io thread. One start() per instance; the
// destructor stops the server.
#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "daemon/control/control_server.h"

namespace netwarden::test {

class ControlServerThread {
 public:
  ControlServerThread();
  ~ControlServerThread();
  ControlServerThread(const ControlServerThread&) = delete;
  ControlServerThread& operator=(const ControlServerThread&) = delete;

  // Binds the socket; only when that succeeds does the io thread start.
  Result<void> start(ControlServerOptions options, ControlHandler handler);
  // Runs ControlServer::stop() on the io thread, as the daemon does, then
  // lets the thread finish. Does nothing when not running.
  void stop();
  // Runs `work` on the io thread and waits for it (answering a request
  // later, as the daemon does once a store write commits).
  void run_on_io_thread(const std::function<void()>& work);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden::test
