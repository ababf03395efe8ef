// The one-line summary systemd shows for netwardend (`systemctl status`,
// STATUS= in sd_notify(3)), e.g.
//   "3 targets: 2 up, 1 down; 1 open incident; mail: 4 queued, 0 failed"
// Targets not checked yet are neither up nor down. While store writes fail
// the line starts "STORE FAILING since TIME: ERROR; ".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/time.h"

namespace netwarden {

struct DaemonView;

struct ServiceFigures {
  std::int64_t targets = 0, up = 0, down = 0;
  std::int64_t open_incidents = 0;
  // Nothing when the store could not be read (shown as "mail: unknown").
  std::optional<std::int64_t> mail_queued, mail_failed;
  std::optional<Time> store_failing_since;
  std::string store_error;
};

std::string service_status_line(const ServiceFigures& figures);

// The monitor's and the engine's figures from memory, the outbox's read on
// the store's writer thread; `done` runs on the io thread.
void read_service_status(const DaemonView& daemon, Time now, std::function<void(std::string)> done);

}  // namespace netwarden
