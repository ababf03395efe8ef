// Where the incident engine's notifications go once their decision is
// durable. The e-mail notifier (issue 4) will implement this; until then
// the spool sink writes each notification to a file.
#pragma once

#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"

namespace netwarden {

class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  // Called on the io thread, after the decision that made it is committed.
  virtual void deliver(const Notification& notification, const Incident& incident) = 0;
};

}  // namespace netwarden
