#include "daemon/notifier/outbox/outbox_drainer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/notifier/message/chat_message.h"
#include "daemon/notifier/outbox/retry_policy.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store.h"
#include "daemon/store/transaction.h"

namespace netwarden {

namespace {

constexpr const char* kActor = "netwardend";
constexpr std::string_view kEmail = "email";
constexpr int kBatch = 16;
// A merged chat message's rows together, in bytes of their JSON: within
// WeCom's 4096-byte markdown limit, the smallest of the robots'.
constexpr std::size_t kMergedBytes = 3500;
// After a store error, before trying again.
constexpr Duration kStoreRetry = std::chrono::seconds(10);
// The longest real-time wait, so a clock that jumps is noticed.
constexpr Duration kLongestWait = std::chrono::minutes(1);

}  // namespace

struct OutboxDrainer::Outcome {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  std::string channel, person, address, message_id;
  int attempts = 0;  // including this one
  Time at;
  std::expected<void, SendFailure> sent;
  bool give_up = false;  // a failure that ends the row
  Time next_attempt;     // for a failure that does not

  LedgerEvent ledger_event() const {
    boost::json::object details;
    const bool email = channel == kEmail;
    if (!email) details["channel"] = channel;
    details["person"] = person;
    details["address"] = address;
    details["message_id"] = message_id;
    details["attempts"] = attempts;
    if (!sent) details["error"] = sent.error().message;
    const char* type = email ? (sent ? "mail_sent" : "mail_failed") : (sent ? "message_sent" : "message_failed");
    return LedgerEvent{at, incident_id, type, kActor, boost::json::serialize(details)};
  }
};

OutboxDrainer::OutboxDrainer(std::string db_path, std::unique_ptr<MailTransport> transport, MailSettings settings,
                             std::function<Time()> clock, std::optional<LedgerKey> ledger_key, Channels channels,
                             FailureNotices failure_notices)
    : db_path_(std::move(db_path)),
      transport_(std::move(transport)),
      channels_(std::move(channels)),
      failure_notices_(std::move(failure_notices)),
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
  for (const auto& [id, sender] : channels_) spdlog::info("outbox: delivering to {}", sender->describe());
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

void OutboxDrainer::send_tests(std::vector<TestMessage> messages, std::function<void(std::vector<TestAnswer>)> done) {
  {
    std::lock_guard lock(mutex_);
    tests_.push_back({std::move(messages), std::move(done)});
    woken_ = true;
  }
  changed_.notify_all();
}

void OutboxDrainer::run_tests() {
  std::vector<TestJob> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(tests_);
  }
  for (TestJob& job : jobs) {
    std::vector<TestAnswer> answers;
    for (const TestMessage& m : job.messages) {
      if (m.channel == kEmail) {
        auto sent = transport_->send(m.mail);
        answers.push_back(
            {m.channel, sent ? std::expected<std::string, SendFailure>("accepted by " + transport_->describe())
                             : std::unexpected(sent.error())});
        continue;
      }
      const auto sender = channels_.find(m.channel);
      answers.push_back({m.channel, sender == channels_.end()
                                        ? std::unexpected(SendFailure{"no channel '" + m.channel + "'", true})
                                        : sender->second->send(m.chat, clock_())});
    }
    job.done(std::move(answers));
  }
}

void OutboxDrainer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    run_tests();
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
      if (!deliver({row})) return now + kStoreRetry;
    }
    recovered_ = true;
  }
  const std::vector<std::string> held = paced_out(now);
  auto due = due_messages(*store_, now, kBatch, held);
  if (!due) {
    spdlog::error("outbox: {}", due.error().message);
    return now + kStoreRetry;
  }
  std::vector<std::string> done_channels;
  for (const auto& row : *due) {
    if (stopping()) return now;
    if (row.channel == kEmail) {
      if (!deliver({row})) return now + kStoreRetry;
      continue;
    }
    if (std::ranges::find(done_channels, row.channel) != done_channels.end()) continue;
    done_channels.push_back(row.channel);
    // All of this pass's rows for the channel, as few requests as fit.
    std::vector<OutboxMessage> rows;
    std::ranges::copy_if(*due, std::back_inserter(rows),
                         [&](const OutboxMessage& r) { return r.channel == row.channel; });
    for (auto& group : merge_groups(std::move(rows))) {
      if (stopping()) return now;
      Pace& pace = pace_for(group.front().channel);
      if (!pace.allows(clock_())) break;  // the rest waits for the window
      const bool recorded = deliver(group);
      // Counted once the reply is in, so never before the provider counts it.
      pace.count(clock_());
      if (!recorded) return now + kStoreRetry;
    }
  }
  if (due->size() == static_cast<std::size_t>(kBatch)) return now;  // more may be due
  const std::vector<std::string> still_held = paced_out(clock_());
  auto next = next_message_due(*store_, still_held);
  if (!next) {
    spdlog::error("outbox: {}", next.error().message);
    return now + kStoreRetry;
  }
  Time wake = next->value_or(now + kLongestWait);
  for (const std::string& channel : still_held) wake = std::min(wake, pace_for(channel).frees_at(clock_()));
  return wake;
}

std::vector<std::string> OutboxDrainer::paced_out(Time now) {
  std::vector<std::string> held;
  for (auto& [channel, pace] : paces_) {
    if (!pace.allows(now)) held.push_back(channel);
  }
  return held;
}

Pace& OutboxDrainer::pace_for(const std::string& channel) {
  auto found = paces_.find(channel);
  if (found != paces_.end()) return found->second;
  const auto sender = channels_.find(channel);
  // A channel gone from the configuration fails each row at once: no pace needed.
  const ChannelConfig config = sender != channels_.end() ? sender->second->config() : ChannelConfig{};
  Pace pace(config.pace_messages, config.pace_window);
  // What was sent in the window before a restart counts too, or a daemon
  // restarted in a loop would go past the provider's limit.
  const Time now = clock_();
  auto sent = deliveries_since(*store_, channel, now - config.pace_window);
  if (!sent) spdlog::warn("outbox: {}; pacing channel '{}' from now on", sent.error().message, channel);
  for (Time at : sent.value_or(std::vector<Time>{})) pace.count(at);
  return paces_.emplace(channel, std::move(pace)).first->second;
}

std::vector<std::vector<OutboxMessage>> OutboxDrainer::merge_groups(std::vector<OutboxMessage> rows) const {
  std::vector<std::vector<OutboxMessage>> groups;
  const auto sender = channels_.find(rows.front().channel);
  const bool merge = sender != channels_.end() && merges_messages(sender->second->config());
  std::size_t bytes = 0;
  for (auto& row : rows) {
    if (groups.empty() || !merge || bytes + row.data.size() > kMergedBytes) {
      groups.emplace_back();
      bytes = 0;
    }
    bytes += row.data.size();
    groups.back().push_back(std::move(row));
  }
  return groups;
}

std::expected<void, SendFailure> OutboxDrainer::send(const std::vector<OutboxMessage>& rows) {
  const OutboxMessage& first = rows.front();
  if (first.channel == kEmail) {
    return transport_->send(OutgoingMail{first.message_id, settings_.from, {first.address}, first.data});
  }
  const auto sender = channels_.find(first.channel);
  if (sender == channels_.end()) {
    return std::unexpected(SendFailure{"channel '" + first.channel + "' is no longer in the configuration", true});
  }
  std::vector<ChatMessage> messages;
  for (const OutboxMessage& row : rows) {
    auto message = chat_message_from_json(row.data);
    if (!message) return std::unexpected(SendFailure{message.error().message, true});
    messages.push_back(std::move(*message));
  }
  auto sent = sender->second->send(messages.size() == 1 ? messages.front() : merged_chat(messages), clock_());
  if (!sent) return std::unexpected(std::move(sent.error()));
  return {};
}

bool OutboxDrainer::deliver(const std::vector<OutboxMessage>& rows) {
  for (const OutboxMessage& row : rows) {
    // Rows a crash left `sending` are in that state already.
    if (row.state == "sending") continue;
    if (auto marked = mark_sending(*store_, row.id); !marked) {
      spdlog::error("outbox: {}", marked.error().message);
      return false;
    }
  }
  const std::expected<void, SendFailure> sent = send(rows);
  const Time at = clock_();
  bool recorded_all = true;
  for (const OutboxMessage& row : rows) {
    const Outcome outcome = judge(row, sent, at);
    log_failure(row, outcome);
    if (auto recorded = record(outcome); !recorded) {
      spdlog::error("outbox: cannot record the attempt on {} yet: {}", row.message_id, recorded.error().message);
      unrecorded_.push_back(outcome);
      recorded_all = false;
    }
  }
  return recorded_all;
}

void OutboxDrainer::log_failure(const OutboxMessage& row, const Outcome& outcome) const {
  if (outcome.sent) return;
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

OutboxDrainer::Outcome OutboxDrainer::judge(const OutboxMessage& row, const std::expected<void, SendFailure>& sent,
                                            Time at) const {
  Outcome outcome{row.id, row.incident_id, row.channel, row.person, row.address, row.message_id, row.attempts + 1,
                  at,     std::move(sent), false,       at};
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
    if (outcome.sent || outcome.channel == kEmail || !failure_notices_) return {};
    // A channel gave up: who watches the channels is told, as durably.
    const ChannelFailure failure{outcome.id,     outcome.incident_id,          outcome.channel,
                                 outcome.person, outcome.sent.error().message, outcome.at};
    for (const OutboxMessage& notice : failure_notices_(failure)) {
      if (auto queued = enqueue_message(store, notice); !queued) return std::unexpected(queued.error());
    }
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
