#include "daemon/control_commands.h"

#include <boost/json/array.hpp>

#include "daemon/control/control_reply.h"
#include "daemon/monitor/verdict_json.h"
#include "daemon/monitor/web_monitor.h"
#include "daemon/store/store_writer.h"

namespace netwarden {

namespace {

boost::json::value status(const DaemonView& d, Time now) {
  std::int64_t up = 0, down = 0, unknown = 0;
  for (const auto& t : d.monitor.targets()) {
    if (!t->last) {
      ++unknown;
    } else if (t->last->up) {
      ++up;
    } else {
      ++down;
    }
  }
  boost::json::object out;
  out["version"] = NETWARDEN_VERSION;
  out["started_at"] = format_utc(d.started_at);
  out["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(now - d.started_at).count();
  out["targets"] = {{"total", up + down + unknown}, {"up", up}, {"down", down}, {"unknown", unknown}};
  out["checks_in_flight"] = d.monitor.checks_in_flight();
  out["checks_completed"] = d.monitor.checks_completed();
  out["store"] = {{"pending_writes", d.writer.pending()},
                  {"dropped_samples", d.monitor.dropped_samples()}};
  return out;
}

boost::json::value targets(const DaemonView& d) {
  boost::json::array list;
  for (const auto& t : d.monitor.targets()) {
    boost::json::object o;
    o["id"] = t->config.id;
    o["name"] = t->config.name;
    o["url"] = t->config.url;
    o["unit"] = t->config.unit;
    o["tls_verify"] = t->config.tls_verify;
    if (t->last) {
      add_verdict_fields(o, *t->last);
    } else {
      add_unknown_verdict_fields(o);
    }
    list.push_back(std::move(o));
  }
  return boost::json::object{{"targets", std::move(list)}};
}

}  // namespace

boost::json::object handle_control_request(const DaemonView& daemon, const ControlRequest& request, Time now) {
  if (request.command == "status") return reply_ok(status(daemon, now));
  if (request.command == "targets") return reply_ok(targets(daemon));
  return reply_error("unknown command '" + request.command + "'");
}

}  // namespace netwarden
