// OutboxDrainer: the thread that delivers the outbox (daemon/store/outbox.h).
//
// It owns one std::thread and its own Store connection to the daemon's
// database file (WAL lets it and the daemon's writer share the file; the
// ledger's head serializes their appends), so sending never blocks probing
// or the control socket.
//
// For each due row: mark it `sending` (committed), hand it to the
// transport, then record the outcome. Delivered: `sent` and a "mail_sent"
// ledger event, in one transaction. Failed permanently, or failed once the
// row is older than give_up_after: `failed` and a "mail_failed" ledger
// event, logged at error level. Otherwise queued again after retry_delay()
// (capped at retry_max, and never past the give-up time), logged as a
// warning, or as an error once the row is older than warn_undelivered_after.
// Rows a crash left `sending` are sent again at start (same Message-ID: at
// most one duplicate per crash).
//
// Nothing here throws or stops the daemon: a store error is logged and the
// work retried later; an outcome that could not be recorded is kept in
// memory and recorded before anything else is sent.
//
// Thread-safety: start() and stop() from one thread (the daemon's); wake()
// from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/transport/mail_transport.h"
#include "daemon/store/ledger_key.h"

namespace netwarden {

class Store;
struct OutboxMessage;

class OutboxDrainer {
 public:
  // `clock` is read for every decision about time (tests drive it); the
  // waits themselves are real time, bounded so a clock that jumps is
  // noticed within a minute.
  // `ledger_key`: what the ledger events of deliveries are hashed with
  // (daemon/store/ledger.h); the daemon's own.
  OutboxDrainer(std::string db_path, std::unique_ptr<MailTransport> transport, MailSettings settings,
                std::function<Time()> clock, std::optional<LedgerKey> ledger_key = std::nullopt);
  ~OutboxDrainer();  // stop()
  OutboxDrainer(const OutboxDrainer&) = delete;
  OutboxDrainer& operator=(const OutboxDrainer&) = delete;

  // Opens the drainer's own connection and starts the thread. An Error when
  // the database cannot be opened, or when already started.
  Result<void> start();

  // Looks for due rows now: call after enqueueing.
  void wake();

  // Lets the send in progress finish (bounded by the transport's timeouts)
  // and records it, then joins the thread. Idempotent.
  void stop();

 private:
  struct Outcome;  // one attempt's result, to be recorded

  void run();
  // Sends what is due; returns when to look again.
  Time drain();
  // Records outcomes not yet recorded; false when one still could not be.
  bool record_pending();
  // Sends a row marked `sending` and records the outcome; false when the
  // store failed, so this pass should stop.
  bool deliver(const OutboxMessage& row);
  Outcome judge(const OutboxMessage& row, std::expected<void, SendFailure> sent, Time at) const;
  Result<void> record(const Outcome& outcome);
  bool stopping();

  const std::string db_path_;
  const std::unique_ptr<MailTransport> transport_;
  const MailSettings settings_;
  const std::function<Time()> clock_;
  const std::optional<LedgerKey> ledger_key_;

  std::unique_ptr<Store> store_;  // used by the thread only
  bool recovered_ = false;        // rows left `sending` have been resent
  std::vector<Outcome> unrecorded_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace netwarden
