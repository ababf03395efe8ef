// IncidentKeeper: the daemon's side of the incident engine.
//
// It feeds the engine each check's verdict, each isolation report, each
// control action and a tick every second, and carries out what the engine
// decides: the changed incidents, the ledger events and an outbox row (the
// rendered e-mail) per notification are written in one store job.
//
// Write first, then believe. The engine decides on a copy of itself; the
// copy replaces the engine only once the job has committed, and only then
// is the outbox drainer woken and the control client told "ok". When the
// store refuses (disk full, I/O error, queue full) the engine stays as it
// was, the observations are kept and decided again on the next tick, so
// every notification the chain owes is queued once writes work again —
// late, and marked late. A refused control action changes nothing and its
// client hears the error. Only one decision is being written at a time;
// what arrives meanwhile waits and is decided together afterwards.
//
// A crash loses nothing recorded; a restart rebuilds the engine from the
// stored open incidents, and steps that fell due meanwhile fire once,
// marked late.
//
// Thread-safety: single-threaded; everything runs on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "common/result.h"
#include "daemon/core/incident_engine.h"
#include "daemon/core/web_check.h"
#include "daemon/notifier/message/mail_templates.h"

namespace netwarden {

class Store;
class StoreWriter;
class WriteHealth;

// What the store remembers for the engine: open incidents, the next id, and
// the maintenance windows not over by `now` (the config's and the declared
// ones). Read once at start, before the writer thread takes the connection.
Result<EngineState> load_engine_state(Store& store, const Config& config, Time now);

class IncidentKeeper {
 public:
  // `config`, `templates`, `writer` and `health` must outlive the keeper;
  // `mail_queued` runs after e-mails were committed to the outbox.
  IncidentKeeper(boost::asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health, const Config& config,
                 const MailTemplates& templates, std::function<void()> mail_queued, EngineState state, Time resumed_at);

  void observe(const std::string& target, const CheckVerdict& verdict);
  void observe_isolation(const IsolationObservation& observation);
  void observe_crawl(const CrawlReport& report);

  // A control action (ack, resolve, approve, maintenance), decided by the
  // engine at the time it is decided.
  using Action = std::function<Result<Decisions>(IncidentEngine&, Time now)>;
  // Work on the store that belongs to an action and commits with it.
  using StoreWork = std::function<Result<void>(Store&)>;
  // Gets the action's decisions once they are recorded and believed, or
  // the engine's refusal, or the store's error (then nothing of it took
  // effect).
  using ChangeDone = std::function<void(Result<Decisions>)>;
  void change(Action action, StoreWork also, ChangeDone done);

  void start();  // ticks every second
  // Stops ticking and deciding; actions still waiting hear that the daemon
  // is shutting down. A write in flight still completes.
  void stop();

  // What is recorded: the engine as of the last committed decision.
  const IncidentEngine& engine() const { return engine_; }
  // Decisions the store refused (each is decided again later).
  std::uint64_t refused_decisions() const { return refused_decisions_; }
  // Observations let go because too many waited while the store failed.
  std::uint64_t dropped_observations() const { return dropped_observations_; }

 private:
  struct Change {
    Action action;
    StoreWork also;
    ChangeDone done;
  };
  using Input = std::variant<Observation, IsolationObservation, CrawlReport, Change>;
  struct Batch;

  void enqueue(Input input);
  void decide();
  void written(Result<void> result, std::shared_ptr<IncidentEngine> decided, std::shared_ptr<Batch> batch);
  void let_go_of_changes(std::size_t taken);

  StoreWriter& writer_;
  WriteHealth& health_;
  const Config& config_;
  const MailTemplates& templates_;
  std::function<void()> mail_queued_;
  IncidentEngine engine_;
  std::deque<Input> waiting_;  // decided together once no write is in flight
  bool writing_ = false;
  bool retrying_ = false;  // the last write failed: what fires now is late
  std::uint64_t refused_decisions_ = 0;
  std::uint64_t dropped_observations_ = 0;
  boost::asio::steady_timer ticker_;
  bool stopping_ = false;
};

}  // namespace netwarden
