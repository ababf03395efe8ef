// The outbox: every escalation message as a row, written before it is
// attempted, so that a crash at any moment loses none. A row is one
// delivery over one channel: an e-mail, or a message to a chat robot or
// webhook of [channels].
//
// A row moves queued -> sending -> sent, or back to queued for a retry, or
// to failed when the drainer gives up (daemon/notifier/outbox). The
// incident keeper enqueues rows in the same transaction as the decisions
// that caused them; the drainer, on its own connection, marks each row
// `sending` (committed) before handing it to the transport. A row still
// `sending` when the daemon starts was interrupted mid-send: it is sent
// again, with the same Message-ID, which is the one duplicate a crash may
// cause.
//
// Follows Store's rules (store.h): Errors name the operation, one thread at
// a time per Store. Every write is a decision, durable when its transaction
// commits (or at once, outside a transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class Store;

struct OutboxMessage {
  std::int64_t id = 0;  // assigned by enqueue_message()
  std::int64_t incident_id = 0;
  std::string channel = "email";  // "email" or a [channels] id
  std::string person;             // the config's person id; "unit ID" or "institution" for a group robot
  std::string address;            // e-mail: the bare recipient address; else what the channel reaches, for show
  std::string message_id;         // "<...@domain>", unique across the outbox (also for other channels)
  std::string
      thread_root;      // e-mail: Message-ID of the first mail this person got about this incident; "" when this is it
  std::string reasons;  // a short summary for `status` and `show`
  std::string data;     // e-mail: the whole rendered RFC 5322 message; else chat_message_json()
  std::string state = "queued";  // "queued", "sending", "sent" or "failed"
  int attempts = 0;              // attempts finished (sent, or failed)
  Time created_at;
  Time next_attempt_at;
  std::optional<Time> sent_at;
  std::optional<Time> failed_at;
  std::string last_error;  // "" until an attempt fails
};

struct OutboxSummary {
  std::string channel;  // "email" or a [channels] id
  std::int64_t queued = 0, sending = 0, sent = 0, failed = 0;
  // The oldest row not yet delivered (queued or sending), if any.
  std::optional<Time> oldest_undelivered_at;
  std::optional<Duration> oldest_undelivered_age;  // now - oldest_undelivered_at
  std::string last_error;                          // of the row that failed last; "" when none did
};

// Adds `message` as a queued row due at its created_at (its id, state,
// attempts, next attempt, sent/failed times and last error are ignored);
// returns the new id. An Error when its message_id is already in the outbox.
Result<std::int64_t> enqueue_message(Store& store, const OutboxMessage& message);

// The Message-ID of the first e-mail enqueued for this person about this
// incident, to thread the next one under; none before the first.
Result<std::optional<std::string>> thread_root_for(Store& store, std::int64_t incident_id, const std::string& person);

// Up to `limit` queued rows whose next attempt is at or before `now`, oldest
// first, but none of the channels in `held` (those waiting for their pace).
Result<std::vector<OutboxMessage>> due_messages(Store& store, Time now, int limit,
                                                const std::vector<std::string>& held = {});

// When the earliest queued row not of a `held` channel is due; none when
// there is no such row.
Result<std::optional<Time>> next_message_due(Store& store, const std::vector<std::string>& held = {});

// Rows in `sending`: only a crash mid-send leaves any behind. Oldest first.
Result<std::vector<OutboxMessage>> rows_left_sending(Store& store);

// The state changes. mark_sending takes a queued row, the others a sending
// one; each is an Error when row `id` is not in that state. mark_sent,
// mark_retry and mark_failed count the attempt; mark_retry queues the row
// again, due at `next_at`.
Result<void> mark_sending(Store& store, std::int64_t id);
Result<void> mark_sent(Store& store, std::int64_t id, Time at);
Result<void> mark_retry(Store& store, std::int64_t id, Time next_at, const std::string& error);
Result<void> mark_failed(Store& store, std::int64_t id, Time at, const std::string& error);

// Per channel that has rows, by channel: counts per state, the age of the
// oldest undelivered row and the last failure, for `status`.
Result<std::vector<OutboxSummary>> outbox_summary(Store& store, Time now);

// The times `channel`'s rows were delivered at since `since`, each once
// (the rows merged into one request share it), oldest first: the requests
// a restarted drainer counts against the channel's pace.
Result<std::vector<Time>> deliveries_since(Store& store, const std::string& channel, Time since);

// The incident's rows by id, without `data` (for `show ID`).
Result<std::vector<OutboxMessage>> outbox_for_incident(Store& store, std::int64_t incident_id);

}  // namespace netwarden
