#include "daemon/store/outbox.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon/store/incidents.h"
#include "daemon/store/ledger.h"
#include "daemon/store/migrations.h"
#include "daemon/store/store.h"
#include "tests/support/open_store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::open_store;
using test::TempDir;

OutboxMessage message(std::int64_t incident, const std::string& person, const std::string& message_id,
                      std::int64_t created_ms) {
  OutboxMessage m;
  m.incident_id = incident;
  m.person = person;
  m.address = person + "@example.edu.cn";
  m.message_id = message_id;
  m.reasons = "site_down step 1";
  m.data = "Message-ID: " + message_id + "\r\nSubject: =?UTF-8?B?5LqL5Lu2?=\r\n\r\n正文\r\n";
  m.created_at = from_unix_ms(created_ms);
  return m;
}

std::int64_t enqueue(Store& store, const OutboxMessage& m) {
  auto id = enqueue_message(store, m);
  EXPECT_TRUE(id) << id.error().message;
  return id.value_or(0);
}

std::vector<std::int64_t> ids(const Result<std::vector<OutboxMessage>>& rows) {
  std::vector<std::int64_t> out;
  if (!rows) ADD_FAILURE() << rows.error().message;
  for (const auto& row : rows.value_or(std::vector<OutboxMessage>{})) out.push_back(row.id);
  return out;
}

std::vector<OutboxMessage> rows_of(Store& store, std::int64_t incident) {
  auto rows = outbox_for_incident(store, incident);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows.value_or(std::vector<OutboxMessage>{});
}

class OutboxStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("netwarden.db");
  std::unique_ptr<Store> store_ = open_store(path_);
};

TEST_F(OutboxStoreTest, EnqueuedMailIsQueuedAndDueAtOnce) {
  const OutboxMessage m = message(7, "alice", "<7.1.alice@example.edu.cn>", 1000);
  const std::int64_t id = enqueue(*store_, m);
  ASSERT_GT(id, 0);

  auto due = due_messages(*store_, from_unix_ms(1000), 10);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  const OutboxMessage& row = (*due)[0];
  EXPECT_EQ(row.id, id);
  EXPECT_EQ(row.incident_id, 7);
  EXPECT_EQ(row.person, "alice");
  EXPECT_EQ(row.address, "alice@example.edu.cn");
  EXPECT_EQ(row.message_id, m.message_id);
  EXPECT_EQ(row.thread_root, "");
  EXPECT_EQ(row.reasons, m.reasons);
  EXPECT_EQ(row.data, m.data);
  EXPECT_EQ(row.state, "queued");
  EXPECT_EQ(row.attempts, 0);
  EXPECT_EQ(row.created_at, from_unix_ms(1000));
  EXPECT_EQ(row.next_attempt_at, from_unix_ms(1000));
  EXPECT_FALSE(row.sent_at);
  EXPECT_FALSE(row.failed_at);
  EXPECT_EQ(row.last_error, "");

  EXPECT_TRUE(ids(due_messages(*store_, from_unix_ms(999), 10)).empty());
  EXPECT_EQ(next_message_due(*store_).value_or(std::nullopt), from_unix_ms(1000));
}

TEST_F(OutboxStoreTest, AMessageIdIsEnqueuedOnlyOnce) {
  ASSERT_GT(enqueue(*store_, message(7, "alice", "<same@example.edu.cn>", 1000)), 0);
  auto again = enqueue_message(*store_, message(8, "bob", "<same@example.edu.cn>", 2000));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("enqueue_message"), std::string::npos) << again.error().message;
  EXPECT_NE(again.error().message.find("UNIQUE"), std::string::npos) << again.error().message;
  EXPECT_EQ(rows_of(*store_, 8).size(), 0u);
}

TEST_F(OutboxStoreTest, DueMailIsOldestFirstUpToTheLimit) {
  const auto late = enqueue(*store_, message(1, "alice", "<a@x>", 300));
  const auto early = enqueue(*store_, message(1, "bob", "<b@x>", 100));
  const auto middle = enqueue(*store_, message(2, "carol", "<c@x>", 200));
  const auto future = enqueue(*store_, message(2, "dave", "<d@x>", 5000));
  const auto retried = enqueue(*store_, message(3, "erin", "<e@x>", 50));
  ASSERT_TRUE(mark_sending(*store_, retried));
  ASSERT_TRUE(mark_retry(*store_, retried, from_unix_ms(400), "connection refused"));

  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(350), 10)), (std::vector<std::int64_t>{early, middle, late}))
      << "the retry is not due before 400, the last row not before 5000";
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(350), 2)), (std::vector<std::int64_t>{early, middle}));
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(400), 10)),
            (std::vector<std::int64_t>{retried, early, middle, late}));
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(6000), 10)),
            (std::vector<std::int64_t>{retried, early, middle, late, future}));
  EXPECT_EQ(next_message_due(*store_).value_or(std::nullopt), from_unix_ms(100));

  ASSERT_TRUE(mark_sending(*store_, early));
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(350), 10)), (std::vector<std::int64_t>{middle, late}))
      << "a row being sent is not due";
}

TEST_F(OutboxStoreTest, RowsOfHeldChannelsAreNotDue) {
  auto robot = message(1, "unit it", "<r@x>", 100);
  robot.channel = "wecom";
  const auto robot_id = enqueue(*store_, robot);
  const auto mail = enqueue(*store_, message(1, "alice", "<a@x>", 200));
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(300), 10)), (std::vector<std::int64_t>{robot_id, mail}));
  EXPECT_EQ(ids(due_messages(*store_, from_unix_ms(300), 10, {"wecom"})), (std::vector<std::int64_t>{mail}));
  EXPECT_EQ(next_message_due(*store_, {"wecom"}).value_or(std::nullopt), from_unix_ms(200));
  auto none = next_message_due(*store_, {"wecom", "email"});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, std::nullopt);
  EXPECT_EQ(rows_of(*store_, 1).front().channel, "wecom");
  EXPECT_EQ(rows_of(*store_, 1).back().channel, "email");
}

TEST_F(OutboxStoreTest, NothingIsDueInAnEmptyOutbox) {
  auto next = next_message_due(*store_);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_FALSE(*next);
  EXPECT_TRUE(ids(due_messages(*store_, from_unix_ms(1000), 10)).empty());
  EXPECT_TRUE(ids(rows_left_sending(*store_)).empty());
}

TEST_F(OutboxStoreTest, TheThreadRootIsThePersonsFirstMessageAboutTheIncident) {
  EXPECT_EQ(thread_root_for(*store_, 7, "alice").value_or("<error>"), std::nullopt);
  enqueue(*store_, message(7, "alice", "<7.1.alice@x>", 1000));
  enqueue(*store_, message(7, "bob", "<7.1.bob@x>", 1000));
  enqueue(*store_, message(8, "alice", "<8.1.alice@x>", 1000));
  auto second = message(7, "alice", "<7.2.alice@x>", 2000);
  second.thread_root = "<7.1.alice@x>";
  enqueue(*store_, second);

  EXPECT_EQ(thread_root_for(*store_, 7, "alice").value_or("<error>"), "<7.1.alice@x>");
  EXPECT_EQ(thread_root_for(*store_, 7, "bob").value_or("<error>"), "<7.1.bob@x>");
  EXPECT_EQ(thread_root_for(*store_, 8, "alice").value_or("<error>"), "<8.1.alice@x>");
  EXPECT_EQ(thread_root_for(*store_, 8, "bob").value_or("<error>"), std::nullopt);
  EXPECT_EQ(rows_of(*store_, 7).back().thread_root, "<7.1.alice@x>");

  // Another channel's message is no e-mail to thread under.
  auto hook = message(9, "alice", "<9.1.alice.hook@x>", 1000);
  hook.channel = "hook";
  enqueue(*store_, hook);
  EXPECT_EQ(thread_root_for(*store_, 9, "alice").value_or("<error>"), std::nullopt);
}

TEST_F(OutboxStoreTest, ASentRowCountsItsAttemptAndKeepsWhen) {
  const auto id = enqueue(*store_, message(7, "alice", "<a@x>", 1000));
  ASSERT_TRUE(mark_sending(*store_, id));
  EXPECT_EQ(ids(rows_left_sending(*store_)), std::vector<std::int64_t>{id});
  EXPECT_EQ(rows_left_sending(*store_)->front().data, message(7, "alice", "<a@x>", 1000).data);
  ASSERT_TRUE(mark_sent(*store_, id, from_unix_ms(1500)));

  const auto rows = rows_of(*store_, 7);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, "sent");
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].sent_at, from_unix_ms(1500));
  EXPECT_FALSE(rows[0].failed_at);
  EXPECT_TRUE(ids(rows_left_sending(*store_)).empty());
  EXPECT_FALSE(next_message_due(*store_).value_or(from_unix_ms(0)));
}

TEST_F(OutboxStoreTest, ARetryCountsTheAttemptAndQueuesTheRowAgain) {
  const auto id = enqueue(*store_, message(7, "alice", "<a@x>", 1000));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_TRUE(mark_sending(*store_, id));
    ASSERT_TRUE(mark_retry(*store_, id, from_unix_ms(1000 + attempt * 30'000), "try " + std::to_string(attempt)));
  }
  const auto rows = rows_of(*store_, 7);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, "queued");
  EXPECT_EQ(rows[0].attempts, 3);
  EXPECT_EQ(rows[0].next_attempt_at, from_unix_ms(91'000));
  EXPECT_EQ(rows[0].last_error, "try 3");
  EXPECT_EQ(next_message_due(*store_).value_or(std::nullopt), from_unix_ms(91'000));
}

TEST_F(OutboxStoreTest, AFailedRowKeepsItsErrorAndIsNeverDueAgain) {
  const auto id = enqueue(*store_, message(7, "alice", "<a@x>", 1000));
  ASSERT_TRUE(mark_sending(*store_, id));
  ASSERT_TRUE(mark_failed(*store_, id, from_unix_ms(2000), "550 no such user"));
  const auto rows = rows_of(*store_, 7);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, "failed");
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].failed_at, from_unix_ms(2000));
  EXPECT_FALSE(rows[0].sent_at);
  EXPECT_EQ(rows[0].last_error, "550 no such user");
  EXPECT_TRUE(ids(due_messages(*store_, from_unix_ms(1'000'000), 10)).empty());
}

TEST_F(OutboxStoreTest, StateChangesOutOfOrderAreRefused) {
  const auto id = enqueue(*store_, message(7, "alice", "<a@x>", 1000));
  const auto sent = mark_sent(*store_, id, from_unix_ms(2000));
  ASSERT_FALSE(sent) << "a queued row was never handed to a transport";
  EXPECT_EQ(sent.error().message, "mark_sent: outbox row " + std::to_string(id) + " is not sending");
  EXPECT_FALSE(mark_retry(*store_, id, from_unix_ms(2000), "x"));
  EXPECT_FALSE(mark_failed(*store_, id, from_unix_ms(2000), "x"));
  ASSERT_TRUE(mark_sending(*store_, id));
  EXPECT_FALSE(mark_sending(*store_, id)) << "already sending";
  ASSERT_TRUE(mark_sent(*store_, id, from_unix_ms(2000)));
  EXPECT_FALSE(mark_sending(*store_, id)) << "a sent row is never sent again";
  EXPECT_FALSE(mark_sent(*store_, id, from_unix_ms(3000)));
  EXPECT_FALSE(mark_sending(*store_, id + 100)) << "no such row";
  EXPECT_EQ(rows_of(*store_, 7).at(0).attempts, 1);
}

TEST_F(OutboxStoreTest, TheSummaryCountsStatesPerChannelAndAgesTheOldestUndelivered) {
  auto empty = outbox_summary(*store_, from_unix_ms(1000));
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());

  const auto sent = enqueue(*store_, message(1, "a", "<1@x>", 100));
  const auto failed = enqueue(*store_, message(1, "b", "<2@x>", 200));
  const auto sending = enqueue(*store_, message(1, "c", "<3@x>", 300));
  enqueue(*store_, message(1, "d", "<4@x>", 400));
  enqueue(*store_, message(1, "e", "<5@x>", 500));
  OutboxMessage robot = message(1, "unit it", "<6@x>", 50);
  robot.channel = "wecom";
  const auto robot_failed = enqueue(*store_, robot);
  robot.message_id = "<7@x>";
  const auto robot_failed_later = enqueue(*store_, robot);
  for (auto id : {sent, failed, sending, robot_failed, robot_failed_later}) ASSERT_TRUE(mark_sending(*store_, id));
  ASSERT_TRUE(mark_sent(*store_, sent, from_unix_ms(600)));
  ASSERT_TRUE(mark_failed(*store_, failed, from_unix_ms(600), "550"));
  ASSERT_TRUE(mark_failed(*store_, robot_failed, from_unix_ms(700), "code 45009"));
  ASSERT_TRUE(mark_failed(*store_, robot_failed_later, from_unix_ms(800), "code 93000"));

  auto summary = outbox_summary(*store_, from_unix_ms(10'300));
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->size(), 2U);
  const OutboxSummary& mail = summary->at(0);
  EXPECT_EQ(mail.channel, "email");
  EXPECT_EQ(mail.queued, 2);
  EXPECT_EQ(mail.sending, 1);
  EXPECT_EQ(mail.sent, 1);
  EXPECT_EQ(mail.failed, 1);
  EXPECT_EQ(mail.oldest_undelivered_at, from_unix_ms(300));
  EXPECT_EQ(mail.oldest_undelivered_age, Duration(10'000));
  EXPECT_EQ(mail.last_error, "550");
  const OutboxSummary& wecom = summary->at(1);
  EXPECT_EQ(wecom.channel, "wecom");
  EXPECT_EQ(wecom.queued + wecom.sending + wecom.sent, 0);
  EXPECT_EQ(wecom.failed, 2);
  EXPECT_FALSE(wecom.oldest_undelivered_at);
  EXPECT_EQ(wecom.last_error, "code 93000");  // the latest
}

TEST_F(OutboxStoreTest, TheIncidentsRowsComeWithoutTheMessage) {
  enqueue(*store_, message(7, "alice", "<1@x>", 100));
  enqueue(*store_, message(8, "alice", "<2@x>", 100));
  enqueue(*store_, message(7, "bob", "<3@x>", 50));
  const auto rows = rows_of(*store_, 7);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].message_id, "<1@x>");
  EXPECT_EQ(rows[1].message_id, "<3@x>");
  EXPECT_EQ(rows[0].address, "alice@example.edu.cn");
  EXPECT_EQ(rows[0].reasons, "site_down step 1");
  EXPECT_EQ(rows[0].data, "");
  EXPECT_TRUE(rows_of(*store_, 9).empty());
}

TEST_F(OutboxStoreTest, AnEnqueueRolledBackWithItsTransactionLeavesNoRow) {
  ASSERT_TRUE(store_->begin());
  enqueue(*store_, message(7, "alice", "<a@x>", 100));
  ASSERT_TRUE(store_->rollback());
  EXPECT_TRUE(rows_of(*store_, 7).empty());
}

TEST(OutboxMigrationTest, MigratingAVersion3FileKeepsItsDataAndAddsTheOutbox) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto v3 = migrate(db, 0, 3);
    sqlite3_close(db);
    ASSERT_TRUE(v3) << v3.error().message;
    ASSERT_EQ(*v3, 3);
  }
  {
    // The rows a version 3 daemon wrote, through today's code: the v1-v3
    // tables have not changed since.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* sql =
        "INSERT INTO incidents VALUES (4, 'site_down', 'portal', 'open', 100, NULL, '{}');"
        "INSERT INTO maintenance_windows VALUES (1, 'portal', 10, 20, 'upgrade', 'root', 5);";
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_exec(db, "SELECT * FROM outbox", nullptr, nullptr, nullptr), SQLITE_ERROR);
    sqlite3_close(db);
  }

  auto store = open_store(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  auto kept = incident(*store, 4);
  ASSERT_TRUE(kept && kept->has_value());
  EXPECT_EQ((*kept)->subject, "portal");
  EXPECT_EQ(next_incident_id(*store).value_or(-1), 5);
  const auto id = enqueue(*store, message(4, "alice", "<4.1.alice@x>", 1000));
  EXPECT_EQ(ids(due_messages(*store, from_unix_ms(1000), 10)), std::vector<std::int64_t>{id});
}

TEST(OutboxMigrationTest, RowsFromBeforeChannelsAreEmails) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto v6 = migrate(db, 0, 6);
    ASSERT_TRUE(v6) << v6.error().message;
    const char* sql =
        "INSERT INTO outbox (incident_id, person, address, message_id, thread_root, reasons, data, state, attempts,"
        " created_at_ms, next_attempt_at_ms, last_error) VALUES (4, 'alice', 'alice@x', '<4@x>', '', 'step 1', 'M',"
        " 'queued', 0, 1000, 1000, '')";
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  const auto rows = rows_of(*store, 4);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].channel, "email");
  EXPECT_EQ(rows[0].address, "alice@x");
}

// The drainer appends to the ledger on its own connection while the
// daemon's writer appends on another: the head's triggers and SQLite's
// write lock must keep one chain.
TEST(OutboxLedgerTest, TwoConnectionsAppendingAtOnceKeepOneChain) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  ASSERT_TRUE(open_store(path));  // migrated before the writers race
  constexpr int kEach = 60;
  std::vector<std::string> errors[2];
  auto append = [&](int writer) {
    auto store = Store::open(path);
    if (!store) {
      errors[writer].push_back(store.error().message);
      return;
    }
    for (int i = 0; i < kEach; ++i) {
      LedgerEvent event{from_unix_ms(i), writer + 1, writer == 0 ? "notified" : "mail_sent", "netwardend",
                        R"({"i":)" + std::to_string(i) + "}"};
      if (auto appended = append_ledger(**store, event); !appended) errors[writer].push_back(appended.error().message);
    }
  };
  std::thread first(append, 0);
  std::thread second(append, 1);
  first.join();
  second.join();
  EXPECT_TRUE(errors[0].empty()) << errors[0].front();
  EXPECT_TRUE(errors[1].empty()) << errors[1].front();

  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->ok()) << check->broken->message;
  EXPECT_EQ(check->count, 2 * kEach);
  EXPECT_EQ(ledger_rows(*store, 1).value_or(std::vector<LedgerRow>{}).size(), static_cast<std::size_t>(kEach));
  EXPECT_EQ(ledger_rows(*store, 2).value_or(std::vector<LedgerRow>{}).size(), static_cast<std::size_t>(kEach));
}

}  // namespace
}  // namespace netwarden
