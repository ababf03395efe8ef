// SpoolSink: one JSON file per notification in a directory, written
// atomically (temporary file, then rename), so a reader never sees half of
// one. A stand-in for e-mail delivery that lets a person or a test see who
// would have been told what, and when.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"
#include "daemon/incidents/notification_sink.h"

namespace netwarden {

class SpoolSink : public NotificationSink {
 public:
  // `config` must outlive the sink (people's names and addresses).
  SpoolSink(std::string directory, const Config& config);
  void deliver(const Notification& notification, const Incident& incident) override;

 private:
  std::string directory_;
  const Config& config_;
  std::uint64_t written_ = 0;
};

}  // namespace netwarden
