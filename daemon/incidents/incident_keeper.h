// IncidentKeeper: the daemon's side of the incident engine.
//
// It feeds the engine each check's verdict and a tick every second, and
// carries out what the engine decides in the order design.md asks: the
// changed incidents, the ledger events and an outbox row (the rendered
// e-mail) per notification are written in one store job, and only when
// that job has committed is the outbox drainer woken ("write first, act
// after"). A crash in between loses nothing; a restart rebuilds the engine
// from the stored open incidents, and steps that fell due meanwhile fire
// once, marked late.
//
// Thread-safety: single-threaded; everything runs on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "daemon/core/incident_engine.h"
#include "daemon/core/web_check.h"
#include "daemon/notifier/message/mail_templates.h"

namespace netwarden {

class Store;
class StoreWriter;

// What the store remembers for the engine: open incidents, the next id, and
// the maintenance windows not over by `now` (the config's and the declared
// ones). Read once at start, before the writer thread takes the connection.
Result<EngineState> load_engine_state(Store& store, const Config& config, Time now);

class IncidentKeeper {
 public:
  // `config` and `templates` must outlive the keeper; `mail_queued` runs
  // after e-mails were committed to the outbox.
  IncidentKeeper(boost::asio::any_io_executor executor, StoreWriter& writer, const Config& config,
                 const MailTemplates& templates, std::function<void()> mail_queued, EngineState state,
                 Time resumed_at);

  void observe(const std::string& target, const CheckVerdict& verdict);
  void observe_isolation(const IsolationObservation& observation);
  // Work on the store that belongs to a decision and commits with it.
  using StoreWork = std::function<Result<void>(Store&)>;

  // Carries out what a control action (ack, resolve, ...) decided, with
  // `also` (may be empty) in the same transaction; `done` runs once that
  // is committed, or with the error that kept it from being, so the client
  // hears "ok" only for what is recorded.
  void act(Decisions decisions, StoreWork also, std::function<void(Result<void>)> done);
  void start();  // ticks every second
  void stop();

  IncidentEngine& engine() { return engine_; }

 private:
  void carry_out(Decisions decisions, StoreWork also = nullptr, std::function<void(Result<void>)> done = nullptr);

  StoreWriter& writer_;
  const Config& config_;
  const MailTemplates& templates_;
  std::function<void()> mail_queued_;
  IncidentEngine engine_;
  boost::asio::steady_timer ticker_;
  bool stopping_ = false;
};

}  // namespace netwarden
