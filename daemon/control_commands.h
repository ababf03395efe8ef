// The daemon's answers to control requests. `status` and `targets` are
// views over the running monitor, built on the io thread from in-memory
// state so they never wait for the disk; `verify` walks the ledger on the
// store's writer thread and answers when that is done, as `incidents`
// reads the recorded incidents there.
#pragma once

#include <boost/json/object.hpp>

#include "common/time.h"
#include "daemon/control/control_server.h"

namespace netwarden {

class IncidentKeeper;
class WebMonitor;
class StoreWriter;
struct Config;

struct DaemonView {
  const Config& config;
  WebMonitor& monitor;
  StoreWriter& writer;
  IncidentKeeper& incidents;
  Time started_at;
};

void handle_control_request(const DaemonView& daemon, const ControlRequest& request, const ControlRespond& respond,
                            Time now);

}  // namespace netwarden
