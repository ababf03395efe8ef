#include "daemon/incidents/incident_keeper.h"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/core/observation.h"
#include "daemon/incidents/incident_json.h"
#include "daemon/incidents/notification_mail.h"
#include "daemon/store/incidents.h"
#include "daemon/store/ledger.h"
#include "daemon/store/maintenance.h"
#include "daemon/store/store_writer.h"

namespace netwarden {

namespace {

// The engine itself acts as "netwardend" in the ledger.
constexpr const char* kDaemonActor = "netwardend";

IncidentRow row_of(const Incident& incident) {
  return IncidentRow{incident.id,
                     std::string(to_string(incident.kind)),
                     incident.target,
                     incident.open() ? "open" : "resolved",
                     incident.detected_at,
                     incident.resolved_at,
                     incident_to_json(incident)};
}

LedgerEvent ledger_event_of(const Event& e) {
  boost::json::object details;
  details["target"] = e.target;
  for (const auto& [key, value] : e.details) details[key] = value;
  return LedgerEvent{e.at, e.incident == 0 ? std::nullopt : std::optional<std::int64_t>(e.incident), e.type,
                     e.actor.empty() ? kDaemonActor : e.actor, boost::json::serialize(details)};
}

Result<void> record(Store& store, const Decisions& d, Time at) {
  for (const auto& incident : d.incidents) {
    if (auto put = put_incident(store, row_of(incident)); !put) return put;
  }
  for (const auto& window : d.windows) {
    if (auto added = add_maintenance_window(store, window, at); !added) return added;
  }
  for (const auto& event : d.events) {
    if (auto appended = append_ledger(store, ledger_event_of(event)); !appended) {
      return std::unexpected(appended.error());
    }
  }
  return {};
}

}  // namespace

Result<EngineState> load_engine_state(Store& store, const Config& config, Time now) {
  EngineState state;
  auto rows = incidents(store, false);
  if (!rows) return std::unexpected(rows.error());
  for (const auto& row : *rows) {
    auto incident = incident_from_json(row.state_json);
    if (!incident) return fail("incident " + std::to_string(row.id) + ": " + incident.error().message);
    state.open.push_back(std::move(*incident));
  }
  auto next = next_incident_id(store);
  if (!next) return std::unexpected(next.error());
  state.next_id = *next;
  state.windows = config.maintenance;
  auto declared = maintenance_windows(store, now);
  if (!declared) return std::unexpected(declared.error());
  for (auto& stored : *declared) state.windows.push_back(std::move(stored.window));
  return state;
}

IncidentKeeper::IncidentKeeper(boost::asio::any_io_executor executor, StoreWriter& writer, const Config& config,
                               const MailTemplates& templates, std::function<void()> mail_queued, EngineState state,
                               Time resumed_at)
    : writer_(writer),
      config_(config),
      templates_(templates),
      mail_queued_(std::move(mail_queued)),
      engine_(config, std::move(state), resumed_at),
      ticker_(executor) {}

void IncidentKeeper::observe(const std::string& target, const CheckVerdict& verdict) {
  if (stopping_) return;
  carry_out(engine_.observe(observation_from(target, verdict, config_.incidents), verdict.at));
}

void IncidentKeeper::observe_isolation(const IsolationObservation& observation) {
  if (stopping_) return;
  carry_out(engine_.observe_isolation(observation, now_utc()));
}

void IncidentKeeper::start() {
  if (stopping_) return;
  carry_out(engine_.tick(now_utc()));
  ticker_.expires_after(std::chrono::seconds(1));
  ticker_.async_wait([this](boost::system::error_code ec) {
    if (!ec) start();
  });
}

void IncidentKeeper::stop() {
  stopping_ = true;
  ticker_.cancel();
}

void IncidentKeeper::act(Decisions decisions, StoreWork also, std::function<void(Result<void>)> done) {
  carry_out(std::move(decisions), std::move(also), std::move(done));
}

void IncidentKeeper::carry_out(Decisions decisions, StoreWork also, std::function<void(Result<void>)> done) {
  if (decisions.empty() && !also) {
    if (done) done({});
    return;
  }
  for (const auto& event : decisions.events) {
    spdlog::info("incident {} ({}): {}", event.incident, event.target, event.type);
  }
  const Time at = decisions.events.empty() ? now_utc() : decisions.events.front().at;
  // Read by the writer thread, then by the completion on this one: never both at once.
  auto held = std::make_shared<const Decisions>(std::move(decisions));
  const bool queued = writer_.post(
      [this, held, at, also = std::move(also)](Store& store) -> Result<void> {
        if (also) {
          if (auto done = also(store); !done) return done;
        }
        if (auto recorded = record(store, *held, at); !recorded) return recorded;
        return queue_notification_mails(store, config_, templates_, *held, at);
      },
      [this, held, done](Result<void> written) {
        if (done) done(written);
        if (!written) {
          spdlog::critical("cannot record incident decisions ({} e-mails not queued): {}", held->notifications.size(),
                           written.error().message);
          return;
        }
        if (!held->notifications.empty() && mail_queued_) mail_queued_();
      });
  if (!queued) {
    spdlog::critical("the store's queue is full: incident decisions ({} e-mails) not recorded",
                     held->notifications.size());
    if (done) done(fail("the store's queue is full; try again shortly"));
  }
}

}  // namespace netwarden
