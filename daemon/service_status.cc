#include "daemon/service_status.h"

#include <memory>

#include "daemon/control_commands.h"
#include "daemon/incidents/incident_keeper.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/web_monitor/web_monitor.h"

namespace netwarden {

namespace {

std::string counted(std::int64_t n, const char* noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

}  // namespace

std::string service_status_line(const ServiceFigures& f) {
  std::string line;
  if (f.store_failing_since)
    line = "STORE FAILING since " + format_utc(*f.store_failing_since) + ": " + f.store_error + "; ";
  line += counted(f.targets, "target") + ": " + std::to_string(f.up) + " up, " + std::to_string(f.down) + " down; " +
          counted(f.open_incidents, "open incident") + "; mail: ";
  if (f.mail_queued && f.mail_failed) {
    line += std::to_string(*f.mail_queued) + " queued, " + std::to_string(*f.mail_failed) + " failed";
  } else {
    line += "unknown";
  }
  return line;
}

void read_service_status(const DaemonView& d, Time now, std::function<void(std::string)> done) {
  auto figures = std::make_shared<ServiceFigures>();
  for (const auto& t : d.monitor.targets()) {
    ++figures->targets;
    if (t->last) ++(t->last->up ? figures->up : figures->down);
  }
  figures->open_incidents = static_cast<std::int64_t>(d.incidents.engine().open_incidents().size());
  if (const auto& failing = d.health.failing()) {
    figures->store_failing_since = failing->since;
    figures->store_error = failing->error;
  }
  const bool queued = d.writer.post(
      [figures, now](Store& store) -> Result<void> {
        auto channels = outbox_summary(store, now);
        if (!channels) return std::unexpected(channels.error());
        // E-mail only: the other channels have their rows in `status`.
        figures->mail_queued = 0;
        figures->mail_failed = 0;
        for (const OutboxSummary& c : *channels) {
          if (c.channel != "email") continue;
          figures->mail_queued = c.queued + c.sending;
          figures->mail_failed = c.failed;
        }
        return {};
      },
      [figures, done](Result<void>) { done(service_status_line(*figures)); });
  if (!queued) done(service_status_line(*figures));
}

}  // namespace netwarden
