// OutboxDrainer: the thread that delivers the outbox (daemon/store/outbox.h):
// e-mails by the mail transport, other rows by their channel's sender.
//
// It owns one std::thread and its own Store connection to the daemon's
// database file (WAL lets it and the daemon's writer share the file; the
// ledger's head serializes their appends), so sending never blocks probing
// or the control socket.
//
// For each due row: mark it `sending` (committed), hand it to the
// transport or channel, then record the outcome. A channel gets at most its
// pace's messages per window (rows beyond wait, queued, and hold up no
// other channel); a robot's rows due together go as one merged message. Delivered: `sent` and a
// "mail_sent" ledger event ("message_sent" for other channels, naming it),
// in one transaction. Failed permanently, or failed once the row is older
// than give_up_after: `failed` and a "mail_failed" ("message_failed")
// ledger event, logged at error level. Otherwise queued again after retry_delay()
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
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/channels/channel_sender.h"
#include "daemon/notifier/message/channel_failure_mail.h"
#include "daemon/notifier/message/chat_message.h"
#include "daemon/notifier/outbox/pace.h"
#include "daemon/notifier/transport/mail_transport.h"
#include "daemon/store/ledger_key.h"
#include "daemon/store/outbox.h"

namespace netwarden {

class Store;

class OutboxDrainer {
 public:
  // `clock` is read for every decision about time (tests drive it); the
  // waits themselves are real time, bounded so a clock that jumps is
  // noticed within a minute.
  // `ledger_key`: what the ledger events of deliveries are hashed with
  // (daemon/store/ledger.h); the daemon's own.
  // `channels`: a sender for each [channels] id; a row naming another
  // channel fails for good.
  using Channels = std::map<std::string, std::unique_ptr<ChannelSender>, std::less<>>;
  // `failure_notices`: the e-mails (outbox rows) that tell of a channel
  // giving up on a delivery, queued in the transaction that records it.
  using FailureNotices = std::function<std::vector<OutboxMessage>(const ChannelFailure&)>;
  OutboxDrainer(std::string db_path, std::unique_ptr<MailTransport> transport, MailSettings settings,
                std::function<Time()> clock, std::optional<LedgerKey> ledger_key = std::nullopt, Channels channels = {},
                FailureNotices failure_notices = {});
  ~OutboxDrainer();  // stop()
  OutboxDrainer(const OutboxDrainer&) = delete;
  OutboxDrainer& operator=(const OutboxDrainer&) = delete;

  // Opens the drainer's own connection and starts the thread. An Error when
  // the database cannot be opened, or when already started.
  Result<void> start();

  // Looks for due rows now: call after enqueueing.
  void wake();

  // `netwardenctl test-notify`: messages sent at once on the drainer's
  // thread (between its deliveries, never recorded in the outbox), and
  // what each far end answered, given to `done` on that thread.
  struct TestMessage {
    std::string channel;  // "email" or a [channels] id
    OutgoingMail mail;    // for "email"
    ChatMessage chat;     // for the others
  };
  struct TestAnswer {
    std::string channel;
    std::expected<std::string, SendFailure> answer;
  };
  void send_tests(std::vector<TestMessage> messages, std::function<void(std::vector<TestAnswer>)> done);

  // Lets the send in progress finish (bounded by the transport's timeouts)
  // and records it, then joins the thread. Idempotent.
  void stop();

 private:
  struct Outcome;  // one attempt's result, to be recorded

  void run();
  void run_tests();
  // Sends what is due; returns when to look again.
  Time drain();
  // Records outcomes not yet recorded; false when one still could not be.
  bool record_pending();
  // Marks the rows `sending`, sends them (together: one e-mail, or one
  // message, merged when more, to one channel) and records the outcome of
  // each; false when the store failed, so this pass should stop.
  bool deliver(const std::vector<OutboxMessage>& rows);
  std::expected<void, SendFailure> send(const std::vector<OutboxMessage>& rows);
  Outcome judge(const OutboxMessage& row, const std::expected<void, SendFailure>& sent, Time at) const;
  void log_failure(const OutboxMessage& row, const Outcome& outcome) const;
  // One channel's due rows in groups of one request each: a robot's merged
  // up to a size its provider accepts, webhooks' and SMS one by one.
  std::vector<std::vector<OutboxMessage>> merge_groups(std::vector<OutboxMessage> rows) const;
  // The channels with no room left in their pace at `now`.
  std::vector<std::string> paced_out(Time now);
  Pace& pace_for(const std::string& channel);
  Result<void> record(const Outcome& outcome);
  bool stopping();

  const std::string db_path_;
  const std::unique_ptr<MailTransport> transport_;
  const Channels channels_;
  const FailureNotices failure_notices_;
  const MailSettings settings_;
  const std::function<Time()> clock_;
  const std::optional<LedgerKey> ledger_key_;

  std::unique_ptr<Store> store_;  // used by the thread only
  bool recovered_ = false;        // rows left `sending` have been resent
  std::vector<Outcome> unrecorded_;
  // Sends per channel in its window, counted since this start.
  std::map<std::string, Pace, std::less<>> paces_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;  // guarded by mutex_
  struct TestJob {
    std::vector<TestMessage> messages;
    std::function<void(std::vector<TestAnswer>)> done;
  };
  std::vector<TestJob> tests_;  // guarded by mutex_
  bool stopping_ = false;       // guarded by mutex_
  std::thread thread_;
};

}  // namespace netwarden
