#include "daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "common/os_error.h"

namespace netwarden {

namespace {

constexpr auto kStatusEvery = std::chrono::seconds(5);

void notify(const std::string& state) {
  if (int rc = sd_notify(0, state.c_str()); rc < 0) {
    spdlog::warn("cannot notify systemd ({}): {}", state.substr(0, state.find('=')), errno_text(-rc));
  }
}

}  // namespace

// Shared with the timers' handlers and the summary's callback, which may
// still be pending after stop().
struct SystemdNotify::Loop : std::enable_shared_from_this<Loop> {
  Loop(boost::asio::any_io_executor executor, Summary summary)
      : status_timer(executor), watchdog_timer(executor), summary(std::move(summary)) {}

  void ping_watchdog() {
    if (stopped) return;
    notify("WATCHDOG=1");
    watchdog_timer.expires_after(watchdog_every);
    watchdog_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->ping_watchdog();
    });
  }

  void update_status() {
    if (stopped) return;
    summary([self = shared_from_this()](std::string line) {
      if (self->stopped) return;
      notify("STATUS=" + line);
      self->status_timer.expires_after(kStatusEvery);
      self->status_timer.async_wait([self](boost::system::error_code ec) {
        if (!ec) self->update_status();
      });
    });
  }

  boost::asio::steady_timer status_timer;
  boost::asio::steady_timer watchdog_timer;
  Summary summary;
  std::chrono::microseconds watchdog_every{0};
  bool stopped = false;
};

namespace {

bool started_by_systemd() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && socket[0] != '\0';
}

}  // namespace

SystemdNotify::SystemdNotify() : enabled_(started_by_systemd()) {}

SystemdNotify::~SystemdNotify() { stop(); }

void SystemdNotify::start(boost::asio::any_io_executor executor, Summary summary) {
  if (!enabled_ || loop_) return;
  loop_ = std::make_shared<Loop>(std::move(executor), std::move(summary));
  notify("READY=1");
  // The variables stay set: a reload replaces the process image in place,
  // and the new one needs them too.
  std::uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
    loop_->watchdog_every = std::chrono::microseconds(watchdog_usec / 2);
    loop_->ping_watchdog();
  }
  loop_->update_status();
}

void SystemdNotify::stop() {
  if (end_timers()) notify("STOPPING=1");
}

void SystemdNotify::reloading() {
  if (!end_timers()) return;
  // systemd (253 and later) takes the reload to start at this instant.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
  // systemd keeps watching during a reload: a last ping gives the shutdown
  // and the new image's start a whole interval before its first one.
  if (loop_->watchdog_every.count() > 0) message += "\nWATCHDOG=1";
  notify(message);
}

bool SystemdNotify::end_timers() {
  if (!loop_ || loop_->stopped) return false;
  loop_->stopped = true;
  loop_->status_timer.cancel();
  loop_->watchdog_timer.cancel();
  return true;
}

}  // namespace netwarden
