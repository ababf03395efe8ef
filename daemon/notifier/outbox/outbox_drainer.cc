#include "daemon/notifier/outbox/outbox_drainer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/notifier/outbox/retry_policy.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store.h"

namespace netwarden {

namespace {

constexpr const char* kActor = "netwardend";
constexpr int kBatch = 16;
// After a store error, before trying again.
constexpr Duration kStoreRetry = std::chrono::seconds(10);
// The longest real-time wait, so a clock that jumps is noticed.
constexpr Duration kLongestWait = std::chrono::minutes(1);

template <class Write>
Result<void> in_transaction(Store& store, Write write) {
  if (auto begun = store.begin(); !begun) return begun;
  if (auto written = write(); !written) {
    (void)store.rollback();  // the write's error is the one worth reporting
    return written;
  }
  return store.commit();
}

}  // namespace

struct OutboxDrainer::Outcome {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  std::string person, address, message_id;
  int attempts = 0;  // including this one
  Time at;
  std::expected<void, SendFailure> sent;
  bool give_up = false;  // a failure that ends the row
  Time next_attempt;     // for a failure that does not

  LedgerEvent ledger_event() const {
    boost::json::object details;
    details["person"] = person;
    details["address"] = address;
    details["message_id"] = message_id;
    details["attempts"] = attempts;
    if (!sent) details["error"] = sent.error().message;
    return LedgerEvent{at, incident_id, sent ? "mail_sent" : "mail_failed", kActor, boost::json::serialize(details)};
  }
};

OutboxDrainer::OutboxDrainer(std::string db_path, std::unique_ptr<MailTransport> transport, MailSettings settings,
                             std::function<Time()> clock, std::optional<LedgerKey> ledger_key)
    : db_path_(std::move(db_path)),
      transport_(std::move(transport)),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      ledger_key_(std::move(ledger_key)) {}

OutboxDrainer::~OutboxDrainer() { stop(); }

Result<void> OutboxDrainer::start() {
  if (store_) return fail("outbox drainer: already started");
  auto store = Store::open(db_path_);
  if (!store) return fail("outbox drainer: " + store.error().message);
  store_ = std::move(*store);
  use_ledger_key(*store_, ledger_key_);
  spdlog::info("outbox: delivering by {}", transport_->describe());
  thread_ = std::thread([this] { run(); });
  return {};
}

void OutboxDrainer::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void OutboxDrainer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool OutboxDrainer::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void OutboxDrainer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const Time next = drain();
    lock.lock();
    const Duration wait = std::clamp(next - clock_(), Duration::zero(), kLongestWait);
    changed_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
  }
}

Time OutboxDrainer::drain() {
  const Time now = clock_();
  if (!record_pending()) return now + kStoreRetry;
  if (!recovered_) {
    auto left = rows_left_sending(*store_);
    if (!left) {
      spdlog::error("outbox: {}", left.error().message);
      return now + kStoreRetry;
    }
    for (const auto& row : *left) {
      if (stopping()) return now;
      spdlog::warn("outbox: sending {} to {} again: netwarden stopped while sending it, so it may arrive twice",
                   row.message_id, row.address);
      if (!deliver(row)) return now + kStoreRetry;
    }
    recovered_ = true;
  }
  auto due = due_mail(*store_, now, kBatch);
  if (!due) {
    spdlog::error("outbox: {}", due.error().message);
    return now + kStoreRetry;
  }
  for (const auto& row : *due) {
    if (stopping()) return now;
    if (auto marked = mark_sending(*store_, row.id); !marked) {
      spdlog::error("outbox: {}", marked.error().message);
      return now + kStoreRetry;
    }
    if (!deliver(row)) return now + kStoreRetry;
  }
  if (due->size() == static_cast<std::size_t>(kBatch)) return now;  // more may be due
  auto next = next_mail_due(*store_);
  if (!next) {
    spdlog::error("outbox: {}", next.error().message);
    return now + kStoreRetry;
  }
  return next->value_or(now + kLongestWait);
}

bool OutboxDrainer::deliver(const OutboxMessage& row) {
  const OutgoingMail mail{row.message_id, settings_.from, {row.address}, row.data};
  auto sent = transport_->send(mail);
  const Outcome outcome = judge(row, std::move(sent), clock_());
  if (!outcome.sent) {
    const Duration age = outcome.at - row.created_at;
    const std::string& error = outcome.sent.error().message;
    if (outcome.give_up) {
      spdlog::error("outbox: gave up on {} to {} ({}) after {} attempt(s) over {}: {}", row.message_id, row.address,
                    row.person, outcome.attempts, format_duration(age), error);
    } else {
      const auto level = age >= settings_.warn_undelivered_after ? spdlog::level::err : spdlog::level::warn;
      spdlog::log(level, "outbox: {} to {} ({}) undelivered for {}, attempt {} failed, next at {}: {}", row.message_id,
                  row.address, row.person, format_duration(age), outcome.attempts, format_local(outcome.next_attempt),
                  error);
    }
  }
  if (auto recorded = record(outcome); !recorded) {
    spdlog::error("outbox: cannot record the attempt on {} yet: {}", row.message_id, recorded.error().message);
    unrecorded_.push_back(outcome);
    return false;
  }
  return true;
}

OutboxDrainer::Outcome OutboxDrainer::judge(const OutboxMessage& row, std::expected<void, SendFailure> sent,
                                            Time at) const {
  Outcome outcome{row.id, row.incident_id, row.person, row.address, row.message_id, row.attempts + 1,
                  at,     std::move(sent), false,      at};
  if (outcome.sent) return outcome;
  const Time give_up_at = row.created_at + settings_.give_up_after;
  outcome.give_up = outcome.sent.error().permanent || at >= give_up_at;
  // The last retry falls on the give-up time rather than past it.
  outcome.next_attempt = std::min(at + retry_delay(outcome.attempts, settings_.retry_max), give_up_at);
  return outcome;
}

Result<void> OutboxDrainer::record(const Outcome& outcome) {
  Store& store = *store_;
  if (!outcome.sent && !outcome.give_up) {
    return mark_retry(store, outcome.id, outcome.next_attempt, outcome.sent.error().message);
  }
  // The row's end and its ledger event stand or fall together.
  return in_transaction(store, [&]() -> Result<void> {
    auto marked = outcome.sent ? mark_sent(store, outcome.id, outcome.at)
                               : mark_failed(store, outcome.id, outcome.at, outcome.sent.error().message);
    if (!marked) return marked;
    if (auto appended = append_ledger(store, outcome.ledger_event()); !appended)
      return std::unexpected(appended.error());
    return {};
  });
}

bool OutboxDrainer::record_pending() {
  while (!unrecorded_.empty()) {
    if (auto recorded = record(unrecorded_.front()); !recorded) {
      spdlog::error("outbox: cannot record the attempt on {} yet: {}", unrecorded_.front().message_id,
                    recorded.error().message);
      return false;
    }
    unrecorded_.erase(unrecorded_.begin());
  }
  return true;
}

}  // namespace netwarden
