// SystemdNotify: what systemd hears from netwardend (sd_notify(3)), for a
// Type=notify unit with a watchdog.
//
// start() says READY=1, then keeps STATUS= up to date (every 5 s) and, when
// the unit has WatchdogSec=, sends WATCHDOG=1 at half its interval from a
// timer on the io thread, so a hung io loop stops the pings and systemd
// restarts the daemon. stop() says STOPPING=1 at shutdown; reloading()
// says RELOADING=1 (with a last WATCHDOG=1) before the daemon replaces
// itself with a fresh copy of itself, whose own start() says READY=1. Both
// end the timers, so the io loop can run out; only the first call sends.
//
// Without NOTIFY_SOCKET (not started by systemd; empty counts as unset)
// every call does nothing.
// Thread-safety: use from the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>

namespace netwarden {

class SystemdNotify {
 public:
  // Calls `done` with the one-line status, then or later on the io thread
  // (part of it may have to be read from the store).
  using Summary = std::function<void(std::function<void(std::string)> done)>;

  SystemdNotify();
  ~SystemdNotify();
  SystemdNotify(const SystemdNotify&) = delete;
  SystemdNotify& operator=(const SystemdNotify&) = delete;

  // Call once everything has started: READY=1 promises the service works.
  void start(boost::asio::any_io_executor executor, Summary summary);
  void stop();
  void reloading();

 private:
  struct Loop;
  bool end_timers();  // false when not started or already ended

  bool enabled_;
  std::shared_ptr<Loop> loop_;
};

}  // namespace netwarden
