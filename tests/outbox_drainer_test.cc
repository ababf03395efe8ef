#include "daemon/notifier/outbox/outbox_drainer.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "daemon/notifier/outbox/retry_policy.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

using SendResult = std::expected<void, SendFailure>;

SendResult ok() { return {}; }
SendResult transient(std::string message) { return std::unexpected(SendFailure{std::move(message), false}); }
SendResult permanent(std::string message) { return std::unexpected(SendFailure{std::move(message), true}); }

// What the scripted transport answers and what it was given, shared with the
// test after the transport itself has moved into the drainer.
struct Script {
  std::mutex mutex;
  std::deque<SendResult> answers;  // then ok() once they run out
  std::vector<OutgoingMail> given;
  // While held, send() waits inside the transport (a slow relay).
  bool hold = false;
  bool inside = false;
  std::condition_variable changed;

  void answer(std::vector<SendResult> results) {
    std::lock_guard lock(mutex);
    answers.insert(answers.end(), results.begin(), results.end());
  }
  std::vector<OutgoingMail> sent() {
    std::lock_guard lock(mutex);
    return given;
  }
};

class ScriptedTransport : public MailTransport {
 public:
  explicit ScriptedTransport(std::shared_ptr<Script> script) : script_(std::move(script)) {}

  SendResult send(const OutgoingMail& mail) override {
    std::unique_lock lock(script_->mutex);
    script_->given.push_back(mail);
    script_->inside = true;
    script_->changed.notify_all();
    script_->changed.wait(lock, [&] { return !script_->hold; });
    script_->inside = false;
    if (script_->answers.empty()) return ok();
    SendResult answer = script_->answers.front();
    script_->answers.pop_front();
    return answer;
  }
  std::string describe() const override { return "scripted test transport"; }

 private:
  std::shared_ptr<Script> script_;
};

// Keeps the log lines at warning level or above while it lives.
class LogRecorder : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::pair<spdlog::level::level_enum, std::string>> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (msg.level >= spdlog::level::warn)
      lines_.emplace_back(msg.level, std::string(msg.payload.begin(), msg.payload.end()));
  }
  void flush_() override {}

 private:
  std::vector<std::pair<spdlog::level::level_enum, std::string>> lines_;
};

// Polls, briefly, until `done` holds or a few seconds have passed.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

constexpr std::int64_t kStartMs = 1'764'000'000'000;  // 2025-11-24

class OutboxDrainerTest : public ::testing::Test {
 protected:
  OutboxDrainerTest() {
    auto store = Store::open(path_);
    EXPECT_TRUE(store) << store.error().message;
    if (store) store_ = std::move(*store);
    settings_.from = "netwarden@example.edu.cn";
  }

  void start() {
    drainer_ = std::make_unique<OutboxDrainer>(path_, std::make_unique<ScriptedTransport>(script_), settings_,
                                               [this] { return from_unix_ms(now_ms_.load()); });
    auto started = drainer_->start();
    ASSERT_TRUE(started) << started.error().message;
  }

  void set_clock(Time t) { now_ms_ = to_unix_ms(t); }
  Time now() const { return from_unix_ms(now_ms_.load()); }

  std::int64_t enqueue(std::int64_t incident, const std::string& person, Time created) {
    OutboxMessage m;
    m.incident_id = incident;
    m.person = person;
    m.address = person + "@example.edu.cn";
    m.message_id =
        "<" + std::to_string(incident) + "." + person + "." + std::to_string(to_unix_ms(created)) + "@example.edu.cn>";
    m.reasons = "site_down step 1";
    m.data = "Message-ID: " + m.message_id + "\r\nSubject: test\r\n\r\nbody\r\n";
    m.created_at = created;
    auto id = enqueue_message(*store_, m);
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  // The row as the test's own connection sees it (without data).
  OutboxMessage row(std::int64_t incident, std::int64_t id) {
    auto rows = outbox_for_incident(*store_, incident);
    EXPECT_TRUE(rows) << rows.error().message;
    for (const auto& r : rows.value_or(std::vector<OutboxMessage>{})) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no outbox row " << id;
    return {};
  }
  bool in_state(std::int64_t incident, std::int64_t id, const std::string& state, int attempts) {
    const auto r = row(incident, id);
    return r.state == state && r.attempts == attempts;
  }

  std::vector<LedgerRow> ledger(std::int64_t incident) {
    auto rows = ledger_rows(*store_, incident);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows.value_or(std::vector<LedgerRow>{});
  }
  void expect_ledger_verifies(std::int64_t count) {
    auto check = verify_ledger(*store_);
    ASSERT_TRUE(check) << check.error().message;
    EXPECT_TRUE(check->ok()) << check->broken->message;
    EXPECT_EQ(check->count, count);
  }

  TempDir dir_;
  std::string path_ = dir_.file("netwarden.db");
  std::unique_ptr<Store> store_;  // the daemon's connection, as it were
  std::shared_ptr<Script> script_ = std::make_shared<Script>();
  std::atomic<std::int64_t> now_ms_{kStartMs};
  MailSettings settings_;
  std::unique_ptr<OutboxDrainer> drainer_;
};

TEST(RetryPolicyTest, DoublesFromThirtySecondsUpToTheCap) {
  EXPECT_EQ(retry_delay(0, 30min), 30s);
  EXPECT_EQ(retry_delay(1, 30min), 30s);
  EXPECT_EQ(retry_delay(2, 30min), 1min);
  EXPECT_EQ(retry_delay(3, 30min), 2min);
  EXPECT_EQ(retry_delay(4, 30min), 4min);
  EXPECT_EQ(retry_delay(6, 30min), 16min);
  EXPECT_EQ(retry_delay(7, 30min), 30min);
  EXPECT_EQ(retry_delay(1'000'000, 30min), 30min);
  EXPECT_EQ(retry_delay(1, 10s), 10s);
}

TEST_F(OutboxDrainerTest, DeliversAQueuedMessageOnceAndRecordsIt) {
  const auto id = enqueue(7, "alice", now());
  start();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "sent", 1); }));

  const auto sent = script_->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message_id, "<7.alice.1764000000000@example.edu.cn>");
  EXPECT_EQ(sent[0].envelope_from, "netwarden@example.edu.cn");
  EXPECT_EQ(sent[0].to, std::vector<std::string>{"alice@example.edu.cn"});
  EXPECT_EQ(sent[0].data, "Message-ID: <7.alice.1764000000000@example.edu.cn>\r\nSubject: test\r\n\r\nbody\r\n");
  EXPECT_EQ(row(7, id).sent_at, now());

  const auto events = ledger(7);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.type, "mail_sent");
  EXPECT_EQ(events[0].event.actor, "netwardend");
  EXPECT_EQ(events[0].event.at, now());
  EXPECT_EQ(events[0].event.details_json, R"({"person":"alice","address":"alice@example.edu.cn",)"
                                          R"("message_id":"<7.alice.1764000000000@example.edu.cn>","attempts":1})");
  expect_ledger_verifies(1);
}

TEST_F(OutboxDrainerTest, WakeSendsMailEnqueuedWhileIdle) {
  start();
  const auto id = enqueue(7, "alice", now());
  drainer_->wake();
  // The idle wait is a minute: only wake() gets this sent within the poll.
  EXPECT_TRUE(eventually([&] { return in_state(7, id, "sent", 1); }));
}

TEST_F(OutboxDrainerTest, TransientFailuresAreRetriedWithGrowingDelays) {
  script_->answer({transient("smtp://relay: connection refused"), transient("smtp://relay: 421 busy"),
                   transient("smtp://relay: timeout")});
  const Time created = now();
  const auto id = enqueue(7, "alice", created);
  start();

  Time expected_next = created;
  const std::vector<Duration> delays{30s, 1min, 2min};
  for (std::size_t attempt = 1; attempt <= delays.size(); ++attempt) {
    ASSERT_TRUE(eventually([&] { return in_state(7, id, "queued", static_cast<int>(attempt)); })) << attempt;
    expected_next += delays[attempt - 1];
    const auto r = row(7, id);
    EXPECT_EQ(r.next_attempt_at, expected_next) << attempt;
    EXPECT_FALSE(r.sent_at);
    set_clock(expected_next);
    drainer_->wake();
  }
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "sent", 4); }));
  EXPECT_EQ(row(7, id).last_error, "smtp://relay: timeout");

  const auto sent = script_->sent();
  ASSERT_EQ(sent.size(), 4u) << "three failed attempts and the one that delivered";
  for (const auto& mail : sent) EXPECT_EQ(mail.message_id, sent[0].message_id);
  const auto events = ledger(7);
  ASSERT_EQ(events.size(), 1u) << "retries are logged, not ledger events";
  EXPECT_EQ(events[0].event.type, "mail_sent");
  EXPECT_NE(events[0].event.details_json.find(R"("attempts":4)"), std::string::npos);
  expect_ledger_verifies(1);
}

TEST_F(OutboxDrainerTest, APermanentFailureFailsTheRowAtOnce) {
  script_->answer({permanent("smtp://relay: 550 5.1.1 no such user")});
  const auto id = enqueue(7, "alice", now());
  start();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "failed", 1); }));
  const auto r = row(7, id);
  EXPECT_EQ(r.last_error, "smtp://relay: 550 5.1.1 no such user");
  EXPECT_EQ(r.failed_at, now());

  const auto events = ledger(7);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.type, "mail_failed");
  EXPECT_EQ(events[0].event.details_json, R"({"person":"alice","address":"alice@example.edu.cn",)"
                                          R"("message_id":"<7.alice.1764000000000@example.edu.cn>","attempts":1,)"
                                          R"("error":"smtp://relay: 550 5.1.1 no such user"})");
  expect_ledger_verifies(1);

  // A day later the failed row is still left alone; the next mail goes.
  set_clock(now() + 24h);
  const auto next = enqueue(8, "bob", now());
  drainer_->wake();
  ASSERT_TRUE(eventually([&] { return in_state(8, next, "sent", 1); }));
  EXPECT_EQ(script_->sent().size(), 2u);
  EXPECT_TRUE(in_state(7, id, "failed", 1));
}

TEST_F(OutboxDrainerTest, GivesUpOnceTheRowIsOlderThanGiveUpAfter) {
  settings_.give_up_after = 1h;
  script_->answer({transient("connection refused"), transient("connection refused again")});
  const Time created = now();
  const auto id = enqueue(7, "alice", created);
  set_clock(created + 59min + 50s);
  start();

  ASSERT_TRUE(eventually([&] { return in_state(7, id, "queued", 1); }));
  EXPECT_EQ(row(7, id).next_attempt_at, created + 1h) << "the last retry falls on the give-up time, not 20s past it";
  EXPECT_TRUE(ledger(7).empty());

  set_clock(created + 1h);
  drainer_->wake();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "failed", 2); }));
  EXPECT_EQ(row(7, id).last_error, "connection refused again");
  const auto events = ledger(7);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.type, "mail_failed");
  EXPECT_NE(events[0].event.details_json.find(R"("error":"connection refused again")"), std::string::npos);
  expect_ledger_verifies(1);
}

TEST_F(OutboxDrainerTest, UndeliveredMailOlderThanTheWarningLimitIsLoggedAsAnError) {
  auto recorder = std::make_shared<LogRecorder>();
  auto& sinks = spdlog::default_logger()->sinks();
  sinks.push_back(recorder);
  settings_.warn_undelivered_after = 15min;
  script_->answer({transient("first refusal"), transient("second refusal")});
  const Time created = now();
  const auto id = enqueue(7, "alice", created);
  start();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "queued", 1); }));
  set_clock(created + 20min);
  drainer_->wake();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "queued", 2); }));
  drainer_->stop();
  std::erase(sinks, recorder);

  std::vector<spdlog::level::level_enum> levels;
  for (const auto& [level, text] : recorder->lines()) {
    if (text.find("refusal") != std::string::npos) levels.push_back(level);
  }
  EXPECT_EQ(levels, (std::vector{spdlog::level::warn, spdlog::level::err}));
}

TEST_F(OutboxDrainerTest, RowsLeftSendingAtStartAreSentAgainOnce) {
  const auto id = enqueue(7, "alice", now());
  ASSERT_TRUE(mark_sending(*store_, id));  // and then the daemon was killed
  start();
  ASSERT_TRUE(eventually([&] { return in_state(7, id, "sent", 1); }));

  const auto next = enqueue(8, "bob", now());
  drainer_->wake();
  ASSERT_TRUE(eventually([&] { return in_state(8, next, "sent", 1); }));
  const auto sent = script_->sent();
  ASSERT_EQ(sent.size(), 2u) << "the interrupted message is sent once more, not on every pass";
  EXPECT_EQ(sent[0].message_id, "<7.alice.1764000000000@example.edu.cn>");
  expect_ledger_verifies(2);
}

TEST_F(OutboxDrainerTest, StopWhileIdleReturnsPromptly) {
  start();
  const auto before = std::chrono::steady_clock::now();
  drainer_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  drainer_->stop();  // again: nothing left to do
}

TEST_F(OutboxDrainerTest, StopLetsTheSendInProgressFinishAndRecordsIt) {
  script_->hold = true;
  const auto first = enqueue(7, "alice", now());
  const auto second = enqueue(7, "bob", now());
  start();
  {
    std::unique_lock lock(script_->mutex);
    ASSERT_TRUE(script_->changed.wait_for(lock, 10s, [&] { return script_->inside; }));
  }
  std::thread stopper([&] { drainer_->stop(); });
  {
    std::lock_guard lock(script_->mutex);
    script_->hold = false;
  }
  script_->changed.notify_all();
  stopper.join();

  // Whether bob's turn came before stop() did is a race; either way what
  // was sent is recorded.
  EXPECT_TRUE(in_state(7, first, "sent", 1));
  const bool second_sent = in_state(7, second, "sent", 1);
  EXPECT_TRUE(second_sent || in_state(7, second, "queued", 0));
  EXPECT_EQ(script_->sent().size(), second_sent ? 2u : 1u);
  expect_ledger_verifies(second_sent ? 2 : 1);
}

TEST_F(OutboxDrainerTest, AnotherConnectionAppendingToTheLedgerMeanwhileLosesNothing) {
  constexpr int kMails = 40;
  constexpr int kOtherEvents = 80;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kMails; ++i) ids.push_back(enqueue(100 + i, "alice", now()));
  std::vector<std::string> errors;
  std::thread daemon_writer([&] {
    for (int i = 0; i < kOtherEvents; ++i) {
      LedgerEvent event{from_unix_ms(kStartMs), 1, "notified", "netwardend", R"({"i":)" + std::to_string(i) + "}"};
      if (auto appended = append_ledger(*store_, event); !appended) errors.push_back(appended.error().message);
    }
  });
  start();
  daemon_writer.join();
  EXPECT_TRUE(errors.empty()) << errors.front();

  for (int i = 0; i < kMails; ++i) {
    ASSERT_TRUE(eventually([&] { return in_state(100 + i, ids[static_cast<std::size_t>(i)], "sent", 1); })) << i;
    const auto events = ledger(100 + i);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event.type, "mail_sent");
  }
  EXPECT_EQ(ledger(1).size(), static_cast<std::size_t>(kOtherEvents));
  expect_ledger_verifies(kMails + kOtherEvents);
}

TEST(OutboxDrainerStartTest, AnUnopenableDatabaseIsAnError) {
  TempDir dir;
  OutboxDrainer drainer(dir.file("missing/netwarden.db"),
                        std::make_unique<ScriptedTransport>(std::make_shared<Script>()), MailSettings{},
                        [] { return from_unix_ms(kStartMs); });
  auto started = drainer.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("outbox drainer: open"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace netwarden
