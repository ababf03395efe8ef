#include "daemon/control_commands.h"

#include <boost/json/array.hpp>
#include <memory>

#include "daemon/control/control_reply.h"
#include "daemon/monitor/verdict_json.h"
#include "daemon/monitor/web_monitor.h"
#include "daemon/store/ledger.h"
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

boost::json::object ledger_check_json(const LedgerCheck& check) {
  boost::json::object out{{"intact", check.ok()}, {"entries", check.count}, {"last_hash", check.last_hash}};
  if (check.broken) {
    out["broken"] = {{"seq", check.broken->seq}, {"message", check.broken->message}};
  }
  return out;
}

// The walk runs where the store lives, queued behind pending writes, so it
// sees everything the daemon has reported done.
void verify(const DaemonView& d, const ControlRespond& respond) {
  auto outcome = std::make_shared<boost::json::object>();
  const bool queued = d.writer.post(
      [outcome](Store& store) -> Result<void> {
        auto check = verify_ledger(store);
        if (!check) return std::unexpected(check.error());
        *outcome = ledger_check_json(*check);
        return {};
      },
      [outcome, respond](Result<void> done) {
        if (!done) return respond(reply_error("cannot verify the ledger: " + done.error().message));
        respond(reply_ok(std::move(*outcome)));
      });
  if (!queued) respond(reply_error("the store's queue is full; try again shortly"));
}

}  // namespace

void handle_control_request(const DaemonView& daemon, const ControlRequest& request, const ControlRespond& respond,
                            Time now) {
  if (request.command == "status") return respond(reply_ok(status(daemon, now)));
  if (request.command == "targets") return respond(reply_ok(targets(daemon)));
  if (request.command == "verify") return verify(daemon, respond);
  respond(reply_error("unknown command '" + request.command + "'"));
}

}  // namespace netwarden
