// The daemon's answers to control requests (`netwardenctl status`,
// `targets`): read-only views over the running monitor, built on the io
// thread from in-memory state so they never wait for the disk.
#pragma once

#include <boost/json/object.hpp>

#include "common/time.h"
#include "daemon/control/control_server.h"

namespace netwarden {

class WebMonitor;
class StoreWriter;

struct DaemonView {
  const WebMonitor& monitor;
  const StoreWriter& writer;
  Time started_at;
};

boost::json::object handle_control_request(const DaemonView& daemon, const ControlRequest& request, Time now);

}  // namespace netwarden
