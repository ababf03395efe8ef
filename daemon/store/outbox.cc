#include "daemon/store/outbox.h"

#include <sqlite3.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <string_view>

#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

#define NETWARDEN_OUTBOX_COLUMNS                                                                              \
  "id, incident_id, person, address, message_id, thread_root, reasons, data, state, attempts, created_at_ms," \
  " next_attempt_at_ms, sent_at_ms, failed_at_ms, last_error, channel"

constexpr std::string_view kEnqueue =
    "INSERT INTO outbox (incident_id, person, address, message_id, thread_root, reasons, data, state, attempts,"
    " created_at_ms, next_attempt_at_ms, last_error, channel) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, '', ?)";
constexpr std::string_view kThreadRoot =
    "SELECT message_id FROM outbox WHERE incident_id = ? AND person = ? AND channel = 'email' ORDER BY id LIMIT 1";
constexpr std::string_view kDue = "SELECT " NETWARDEN_OUTBOX_COLUMNS
                                  " FROM outbox WHERE state = 'queued' AND next_attempt_at_ms <= ?"
                                  " AND channel NOT IN (SELECT value FROM json_each(?))"
                                  " ORDER BY created_at_ms, id LIMIT ?";
constexpr std::string_view kNextDue =
    "SELECT min(next_attempt_at_ms) FROM outbox WHERE state = 'queued'"
    " AND channel NOT IN (SELECT value FROM json_each(?))";
constexpr std::string_view kSending =
    "SELECT " NETWARDEN_OUTBOX_COLUMNS " FROM outbox WHERE state = 'sending' ORDER BY created_at_ms, id";
// `data` is left out: `show` lists rows, it does not print whole messages.
constexpr std::string_view kForIncident =
    "SELECT id, incident_id, person, address, message_id, thread_root, reasons, '', state, attempts, created_at_ms,"
    " next_attempt_at_ms, sent_at_ms, failed_at_ms, last_error, channel FROM outbox WHERE incident_id = ? ORDER BY id";
// Each count is answered from the (channel, state, ...) index, never by reading the
// rows: the outbox keeps every message body and is read every few seconds.
constexpr std::string_view kSummary =
    "SELECT channel, sum(state = 'queued'), sum(state = 'sending'), sum(state = 'sent'), sum(state = 'failed'),"
    " min(CASE WHEN state IN ('queued', 'sending') THEN created_at_ms END) FROM outbox INDEXED BY outbox_by_channel"
    " GROUP BY channel ORDER BY channel";
constexpr std::string_view kLastFailure =
    "SELECT last_error FROM outbox WHERE channel = ? AND state = 'failed' ORDER BY failed_at_ms DESC, id DESC LIMIT 1";
constexpr std::string_view kDeliveredSince =
    "SELECT DISTINCT sent_at_ms FROM outbox INDEXED BY outbox_by_channel"
    " WHERE channel = ? AND state = 'sent' AND sent_at_ms >= ? ORDER BY 1";
constexpr std::string_view kMarkSending = "UPDATE outbox SET state = 'sending' WHERE id = ? AND state = 'queued'";
constexpr std::string_view kMarkSent =
    "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at_ms = ? WHERE id = ? AND state = 'sending'";
constexpr std::string_view kMarkRetry =
    "UPDATE outbox SET state = 'queued', attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?"
    " WHERE id = ? AND state = 'sending'";
constexpr std::string_view kMarkFailed =
    "UPDATE outbox SET state = 'failed', attempts = attempts + 1, failed_at_ms = ?, last_error = ?"
    " WHERE id = ? AND state = 'sending'";

#undef NETWARDEN_OUTBOX_COLUMNS

// The channel ids as a JSON array, for json_each().
std::string json_array(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return boost::json::serialize(out);
}

OutboxMessage read_message(const StatementUse& row) {
  OutboxMessage m;
  m.id = row.integer(0);
  m.incident_id = row.integer(1);
  m.person = row.text(2);
  m.address = row.text(3);
  m.message_id = row.text(4);
  m.thread_root = row.text(5);
  m.reasons = row.text(6);
  m.data = row.text(7);
  m.state = row.text(8);
  m.attempts = static_cast<int>(row.integer(9));
  m.created_at = row.time(10);
  m.next_attempt_at = row.time(11);
  m.sent_at = row.optional_time(12);
  m.failed_at = row.optional_time(13);
  m.last_error = row.text(14);
  m.channel = row.text(15);
  return m;
}

Result<std::vector<OutboxMessage>> read_messages(Store& store, StatementUse& use, std::string_view operation) {
  std::vector<OutboxMessage> out;
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) out.push_back(read_message(use));
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return out;
}

// Runs a state change on row `id`, which must be in the state `sql` expects.
template <class... Values>
Result<void> change_state(Store& store, std::string_view sql, std::string_view operation, std::int64_t id,
                          std::string_view expected_state, const Values&... values) {
  auto stmt = StoreAccess::statement(store, sql, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  (use.bind(values), ...);
  use.bind(id);
  if (auto run = StoreAccess::run(store, use, operation); !run) return run;
  if (sqlite3_changes(sqlite3_db_handle(*stmt)) == 0) {
    return fail(std::string(operation) + ": outbox row " + std::to_string(id) + " is not " +
                std::string(expected_state));
  }
  return {};
}

}  // namespace

Result<std::int64_t> enqueue_message(Store& store, const OutboxMessage& m) {
  constexpr std::string_view operation = "enqueue_message";
  auto stmt = StoreAccess::statement(store, kEnqueue, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(m.incident_id).bind(m.person).bind(m.address).bind(m.message_id).bind(m.thread_root).bind(m.reasons);
  use.bind(m.data).bind(m.created_at).bind(m.created_at).bind(m.channel);
  if (auto run = StoreAccess::run(store, use, operation); !run) return std::unexpected(run.error());
  return sqlite3_last_insert_rowid(sqlite3_db_handle(*stmt));
}

Result<std::optional<std::string>> thread_root_for(Store& store, std::int64_t incident_id, const std::string& person) {
  constexpr std::string_view operation = "thread_root_for";
  auto stmt = StoreAccess::statement(store, kThreadRoot, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(incident_id).bind(person);
  const int rc = use.bound() ? use.step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return use.text(0);
}

Result<std::vector<OutboxMessage>> due_messages(Store& store, Time now, int limit,
                                                const std::vector<std::string>& held) {
  constexpr std::string_view operation = "due_messages";
  auto stmt = StoreAccess::statement(store, kDue, operation);
  if (!stmt) return std::unexpected(stmt.error());
  const std::string held_json = json_array(held);  // bound, not copied: kept until the rows are read
  StatementUse use(*stmt);
  use.bind(now).bind(held_json).bind(std::int64_t{limit});
  return read_messages(store, use, operation);
}

Result<std::optional<Time>> next_message_due(Store& store, const std::vector<std::string>& held) {
  constexpr std::string_view operation = "next_message_due";
  auto stmt = StoreAccess::statement(store, kNextDue, operation);
  if (!stmt) return std::unexpected(stmt.error());
  const std::string held_json = json_array(held);  // bound, not copied
  StatementUse use(*stmt);
  use.bind(held_json);
  if (!use.bound() || use.step() != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return use.optional_time(0);
}

Result<std::vector<OutboxMessage>> rows_left_sending(Store& store) {
  constexpr std::string_view operation = "rows_left_sending";
  auto stmt = StoreAccess::statement(store, kSending, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  return read_messages(store, use, operation);
}

Result<void> mark_sending(Store& store, std::int64_t id) {
  return change_state(store, kMarkSending, "mark_sending", id, "queued");
}

Result<void> mark_sent(Store& store, std::int64_t id, Time at) {
  return change_state(store, kMarkSent, "mark_sent", id, "sending", at);
}

Result<void> mark_retry(Store& store, std::int64_t id, Time next_at, const std::string& error) {
  return change_state(store, kMarkRetry, "mark_retry", id, "sending", next_at, error);
}

Result<void> mark_failed(Store& store, std::int64_t id, Time at, const std::string& error) {
  return change_state(store, kMarkFailed, "mark_failed", id, "sending", at, error);
}

Result<std::vector<OutboxSummary>> outbox_summary(Store& store, Time now) {
  constexpr std::string_view operation = "outbox_summary";
  std::vector<OutboxSummary> summaries;
  {
    auto stmt = StoreAccess::statement(store, kSummary, operation);
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    int rc = SQLITE_ROW;
    while ((rc = use.step()) == SQLITE_ROW) {
      OutboxSummary s{
          use.text(0), use.integer(1), use.integer(2), use.integer(3), use.integer(4), use.optional_time(5), {}, {}};
      if (s.oldest_undelivered_at) s.oldest_undelivered_age = now - *s.oldest_undelivered_at;
      summaries.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  }
  for (OutboxSummary& s : summaries) {
    if (s.failed == 0) continue;
    auto stmt = StoreAccess::statement(store, kLastFailure, operation);
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    use.bind(s.channel);
    if (use.step() == SQLITE_ROW) s.last_error = use.text(0);
  }
  return summaries;
}

Result<std::vector<Time>> deliveries_since(Store& store, const std::string& channel, Time since) {
  constexpr std::string_view operation = "deliveries_since";
  auto stmt = StoreAccess::statement(store, kDeliveredSince, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(channel).bind(since);
  std::vector<Time> times;
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) times.push_back(from_unix_ms(use.integer(0)));
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return times;
}

Result<std::vector<OutboxMessage>> outbox_for_incident(Store& store, std::int64_t incident_id) {
  constexpr std::string_view operation = "outbox_for_incident";
  auto stmt = StoreAccess::statement(store, kForIncident, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(incident_id);
  return read_messages(store, use, operation);
}

}  // namespace netwarden
