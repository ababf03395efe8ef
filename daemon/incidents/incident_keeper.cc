#include "daemon/incidents/incident_keeper.h"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/core/observation.h"
#include "daemon/incidents/incident_json.h"
#include "daemon/incidents/notification_chats.h"
#include "daemon/incidents/notification_mail.h"
#include "daemon/store/incidents.h"
#include "daemon/store/ledger.h"
#include "daemon/store/maintenance.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"

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

// What one write carries: everything decided since the last one, and the
// actions to answer once it has committed or failed.
struct IncidentKeeper::Batch {
  Decisions decisions;
  std::vector<StoreWork> also;
  std::vector<std::pair<ChangeDone, Decisions>> answers;
  std::size_t taken = 0;  // inputs from the front of waiting_ that it decided
  Time at;
};

namespace {

// While the store fails, observations wait to be decided again; past this
// many the oldest are let go (a check repeats; a decision never waits here).
constexpr std::size_t kMaxWaiting = 10000;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// C++20 deduces this itself; clang 16 (clang-tidy) still needs the guide.
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

IncidentKeeper::IncidentKeeper(boost::asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health,
                               const Config& config, const MailTemplates& templates, std::function<void()> mail_queued,
                               EngineState state, Time resumed_at)
    : writer_(writer),
      health_(health),
      config_(config),
      templates_(templates),
      mail_queued_(std::move(mail_queued)),
      engine_(config, std::move(state), resumed_at),
      ticker_(executor) {}

void IncidentKeeper::observe(const std::string& target, const CheckVerdict& verdict) {
  enqueue(observation_from(target, verdict, config_.incidents));
}

void IncidentKeeper::observe_isolation(const IsolationObservation& observation) { enqueue(observation); }

void IncidentKeeper::observe_crawl(const CrawlReport& report) { enqueue(report); }

void IncidentKeeper::change(Action action, StoreWork also, ChangeDone done) {
  if (stopping_) return done(fail("netwardend is shutting down"));
  enqueue(Change{std::move(action), std::move(also), std::move(done)});
}

void IncidentKeeper::enqueue(Input input) {
  if (stopping_) return;
  waiting_.push_back(std::move(input));
  decide();
}

void IncidentKeeper::start() {
  if (stopping_) return;
  decide();
  ticker_.expires_after(std::chrono::seconds(1));
  ticker_.async_wait([this](boost::system::error_code ec) {
    if (!ec) start();
  });
}

void IncidentKeeper::stop() {
  stopping_ = true;
  ticker_.cancel();
  if (!writing_) let_go_of_changes(waiting_.size());
}

// Decides everything waiting, on a copy of the engine, and writes it. Nothing
// is believed here: written() does that once the store has committed.
void IncidentKeeper::decide() {
  if (writing_ || stopping_) return;
  const Time now = now_utc();
  auto decided = std::make_shared<IncidentEngine>(engine_);
  if (retrying_) decided->resume_at(now);
  auto batch = std::make_shared<Batch>();
  batch->at = now;
  batch->taken = waiting_.size();
  for (auto& input : waiting_) {
    std::visit(
        Overloaded{[&](const Observation& o) { merge(batch->decisions, decided->observe(o, now)); },
                   [&](const IsolationObservation& o) { merge(batch->decisions, decided->observe_isolation(o, now)); },
                   [&](const CrawlReport& r) { merge(batch->decisions, decided->observe_crawl(r, now)); },
                   [&](Change& c) {
                     auto result = c.action(*decided, now);
                     if (!result) return std::exchange(c.done, nullptr)(std::unexpected(result.error()));
                     merge(batch->decisions, *result);
                     batch->answers.emplace_back(std::exchange(c.done, nullptr), std::move(*result));
                     if (c.also) batch->also.push_back(std::move(c.also));
                   }},
        input);
  }
  merge(batch->decisions, decided->tick(now));
  if (batch->decisions.empty() && batch->also.empty()) {
    engine_ = std::move(*decided);  // nothing to record: only failing streaks moved
    waiting_.clear();
    return;
  }
  for (const auto& event : batch->decisions.events) {
    spdlog::info("incident {} ({}): {}", event.incident, event.target, event.type);
  }
  writing_ = true;
  writer_.submit(
      [this, batch](Store& store) -> Result<void> {
        for (auto& work : batch->also) {
          if (auto done = work(store); !done) return done;
        }
        if (auto recorded = record(store, batch->decisions, batch->at); !recorded) return recorded;
        if (auto mails = queue_notification_mails(store, config_, templates_, batch->decisions, batch->at); !mails) {
          return mails;
        }
        return queue_notification_chats(store, config_, templates_, batch->decisions, batch->at);
      },
      [this, decided, batch](Result<void> result) { written(std::move(result), decided, batch); });
}

void IncidentKeeper::written(Result<void> result, std::shared_ptr<IncidentEngine> decided,
                             std::shared_ptr<Batch> batch) {
  writing_ = false;
  health_.record("incident decisions", result, now_utc());
  if (result) {
    engine_ = std::move(*decided);
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(batch->taken));
    retrying_ = false;
    for (auto& [done, decisions] : batch->answers) done(std::move(decisions));
    if (!batch->decisions.notifications.empty() && mail_queued_) mail_queued_();
    if (stopping_) return let_go_of_changes(waiting_.size());
    if (!waiting_.empty()) decide();  // what arrived while this was written
    return;
  }
  ++refused_decisions_;
  retrying_ = true;
  // WriteHealth logged the start of the failure; each retry is only debug,
  // so a full disk does not also fill the journal.
  spdlog::debug("incident decisions not recorded ({} events, {} e-mails), to be decided again: {}",
                batch->decisions.events.size(), batch->decisions.notifications.size(), result.error().message);
  for (auto& [done, decisions] : batch->answers) done(fail("not recorded: " + result.error().message));
  // The observations stay to be decided again on the next tick; the actions
  // were answered and are not retried behind their clients' backs.
  let_go_of_changes(batch->taken);
  while (waiting_.size() > kMaxWaiting && !std::holds_alternative<Change>(waiting_.front())) {
    waiting_.pop_front();
    ++dropped_observations_;
  }
  if (stopping_) let_go_of_changes(waiting_.size());
}

// Removes the actions among the first `count` waiting inputs, answering
// those not yet answered with "shutting down".
void IncidentKeeper::let_go_of_changes(std::size_t count) {
  std::deque<Input> kept;
  for (std::size_t i = 0; i < waiting_.size(); ++i) {
    auto* change = std::get_if<Change>(&waiting_[i]);
    if (i >= count || change == nullptr) {
      kept.push_back(std::move(waiting_[i]));
    } else if (change->done) {
      change->done(fail("netwardend is shutting down"));
    }
  }
  waiting_ = std::move(kept);
}

}  // namespace netwarden
