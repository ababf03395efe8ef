// No decision is lost while the store cannot write: the real netwardend on a
// state_dir that fills up (a small tmpfs), or with SQLite I/O errors
// injected (tests/support/sqlite_fault_vfs.c). What fell due meanwhile is
// recorded and sent once writes work again, late and marked late, exactly
// once; control commands the store refused change nothing; a first baseline
// that could not be written is not believed.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include "tests/fault/fault_fixture.h"
#include "tests/support/child_process.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kRedesigned = "<html><head><title>Library</title></head><body><p>Library new look</p></body></html>";

class StoreFailureTest : public FaultTest {
 protected:
  // Waits until the daemon has completed `n` more checks.
  bool wait_checks(std::int64_t n) {
    auto completed = [&] {
      json::value s = status();
      return s.is_null() ? std::int64_t{-1} : s.at("checks_completed").as_int64();
    };
    const std::int64_t from = completed();
    return wait([&] { return completed() >= from + n; });
  }

  // The whole scenario: the site goes down while nothing can be written,
  // steps 1-3 (0s, 2s, 4s) fall due, then writes work again.
  void escalation_is_late_not_lost();
};

void StoreFailureTest::escalation_is_late_not_lost() {
  write_config();
  start_daemon();
  ASSERT_TRUE(wait([&] { return checked(); })) << daemon_.log();
  ASSERT_NO_FATAL_FAILURE(make_writes_fail());
  take_site_down();
  const auto down_at = std::chrono::steady_clock::now();

  // Shown while it lasts.
  EXPECT_TRUE(wait_store_failing()) << status() << daemon_.log();
  json::value during = status();
  ASSERT_FALSE(during.is_null());
  if (const json::value* failing = during.at("store").as_object().if_contains("failing")) {
    EXPECT_TRUE(failing->at("since").is_string()) << during;
    EXPECT_FALSE(failing->at("error").as_string().empty()) << during;
  }
  Finished table = daemon_.ctl({"status"});
  EXPECT_TRUE(table.out.starts_with("STORE FAILING") || table.out.find("\nSTORE FAILING") != std::string::npos)
      << table.out;

  // The chain's offsets are the condition: steps 1-3 all fall due while
  // nothing can be written.
  wait([&] { return std::chrono::steady_clock::now() - down_at > 5s; }, 10s);
  during = status();
  ASSERT_FALSE(during.is_null());
  const json::value* refused = during.at("store").as_object().if_contains("refused_decisions");
  EXPECT_TRUE(refused != nullptr && refused->as_int64() > 0) << during;
  EXPECT_TRUE(smtp_->messages().empty());

  let_writes_succeed();
  EXPECT_TRUE(wait_store_recovered()) << status() << daemon_.log();
  // Every notification owed: queued and sent once each.
  EXPECT_TRUE(wait([&] { return number("SELECT count(*) FROM outbox WHERE state = 'sent'") >= 3; }, 20s))
      << sql("SELECT person, reasons, state FROM outbox") << daemon_.log();
  ASSERT_TRUE(daemon_.wait_checks_grown(6)) << daemon_.log();  // several ticks: nothing owed comes twice
  EXPECT_EQ(sql("SELECT person || ': ' || reasons || ' x' || count(*) FROM outbox GROUP BY person, reasons"
                " ORDER BY min(id)"),
            "op: step 1 (late) x1\nso: step 2 (late) x1\nhead: step 3 (late) x1\n")
      << daemon_.log();
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type = 'opened'"), "1\n");
  EXPECT_EQ(sql("SELECT json_extract(details_json, '$.step') || ' late=' || json_extract(details_json, '$.late')"
                " FROM ledger WHERE type = 'step_fired' ORDER BY seq"),
            "1 late=true\n2 late=true\n3 late=true\n");

  // At the relay: each message once, each with the late notice.
  const auto raw = smtp_->messages();
  const auto copies = copies_by_message_id(raw);
  EXPECT_EQ(raw.size(), 3u);
  EXPECT_EQ(copies.size(), 3u);
  for (const auto& [id, n] : copies) EXPECT_EQ(n, 1) << id;
  const std::string outbox_ids = sql("SELECT message_id FROM outbox");
  for (const auto& [id, n] : copies) EXPECT_NE(outbox_ids.find(id), std::string::npos) << id;
  for (const std::string& message : raw) {
    EXPECT_NE(mail_body(message).find("sent late"), std::string::npos) << message;
  }
  Finished verify = daemon_.ctl({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(StoreFailureTest, NotificationsDueWhileTheDiskIsFullAreSentLateOnceEach) {
  ASSERT_NO_FATAL_FAILURE(use_small_disk());
  escalation_is_late_not_lost();
}

TEST_F(StoreFailureTest, NotificationsDueWhileSqliteGetsIoErrorsAreSentLateOnceEach) {
  use_fault_vfs();
  escalation_is_late_not_lost();
  EXPECT_NE(daemon_.log().find("sqlite_fault_vfs: wrapped \"unix\""), std::string::npos) << daemon_.log();
}

// The commit reaches the WAL but the sync after it fails: the decision is
// not known to be durable, so it must count as refused, yet what the WAL
// already holds must not make it recorded twice.
TEST_F(StoreFailureTest, NotificationsDueWhileWalSyncsFailAreSentLateOnceEach) {
  use_fault_vfs("sync SQLITE_IOERR_FSYNC\n");
  escalation_is_late_not_lost();
}

TEST_F(StoreFailureTest, MaintenanceRefusedByAFullDiskHidesNoOutage) {
  ASSERT_NO_FATAL_FAILURE(use_small_disk());
  write_config();
  start_daemon();
  ASSERT_TRUE(wait([&] { return checked(); })) << daemon_.log();
  ASSERT_NO_FATAL_FAILURE(make_writes_fail());
  Finished declared = daemon_.ctl({"maintenance", "library", "--to", "1h", "--reason", "server swap"});
  EXPECT_EQ(declared.exit_code, 1) << declared.out << declared.err;
  EXPECT_TRUE(store_failing()) << status();

  let_writes_succeed();
  Finished listed = daemon_.ctl({"maintenance"});
  EXPECT_EQ(listed.out.find("server swap"), std::string::npos) << listed.out;
  take_site_down();
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << "the refused window hid the outage\n" << daemon_.log();
  EXPECT_EQ(sql("SELECT kind FROM incidents"), "site_down\n");
  EXPECT_EQ(sql("SELECT count(*) FROM maintenance_windows"), "0\n");
  EXPECT_TRUE(wait_store_recovered()) << status();
}

TEST_F(StoreFailureTest, ApproveAndAckRefusedByAFullDiskChangeNothing) {
  ASSERT_NO_FATAL_FAILURE(use_small_disk());
  write_config();
  start_daemon();
  ASSERT_TRUE(wait([&] { return sql("SELECT count(*) FROM baselines") == "1\n"; })) << daemon_.log();
  const std::string baseline = sql("SELECT text_sha256, set_at_ms, set_by FROM baselines");
  put_page(kRedesigned);
  const auto ids = open_incidents(1);
  ASSERT_EQ(ids.size(), 1u) << daemon_.log();
  ASSERT_EQ(sql("SELECT kind FROM incidents"), "content_changed\n");

  ASSERT_NO_FATAL_FAILURE(make_writes_fail());
  EXPECT_TRUE(wait_store_failing()) << daemon_.log();
  Finished acked = daemon_.ctl({"ack", ids[0], "--note", "looking"});
  EXPECT_EQ(acked.exit_code, 1) << acked.out << acked.err;
  Finished approved = daemon_.ctl({"approve", "library", "--note", "new look"});
  EXPECT_EQ(approved.exit_code, 1) << approved.out << approved.err;

  let_writes_succeed();
  EXPECT_TRUE(wait_store_recovered()) << daemon_.log();
  EXPECT_TRUE(wait_checks(4)) << daemon_.log();
  EXPECT_EQ(sql("SELECT text_sha256, set_at_ms, set_by FROM baselines"), baseline);
  EXPECT_EQ(sql("SELECT state || ' ' || (json_extract(state_json, '$.acknowledged_at') IS NULL) FROM incidents"),
            "open 1\n")
      << "the refused ack or approval took effect";
  json::value targets = daemon_.ctl_json({"targets"});
  ASSERT_FALSE(targets.is_null());
  EXPECT_EQ(targets.at("targets").at(0).at("content"), "changed") << targets;
  EXPECT_EQ(sql("SELECT count(*) FROM ledger WHERE type IN ('acknowledged', 'approved')"), "0\n");

  // Once writes work, the same approval goes through.
  approved = daemon_.ctl({"approve", "library", "--note", "new look"});
  EXPECT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(sql("SELECT state FROM incidents"), "resolved\n");
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
}

TEST_F(StoreFailureTest, AFirstBaselineTheDiskRefusedIsTakenAgainOnceWritesWork) {
  ASSERT_NO_FATAL_FAILURE(use_small_disk());
  take_site_down();  // no page yet: no baseline (a site_down incident instead, not what this is about)
  write_config();
  start_daemon();
  ASSERT_TRUE(wait([&] { return checked(); })) << daemon_.log();
  ASSERT_NO_FATAL_FAILURE(make_writes_fail());

  // Fetched only while nothing can be written: neither may become the baseline.
  const std::string seen_while_full =
      "<html><head><title>Library</title></head><body><p>Library first draft</p></body></html>";
  put_page(seen_while_full);
  EXPECT_TRUE(wait_checks(3)) << daemon_.log();
  EXPECT_TRUE(store_failing()) << status();
  put_page(kFaultPage);
  EXPECT_TRUE(wait_checks(3)) << daemon_.log();

  let_writes_succeed();
  EXPECT_TRUE(wait_store_recovered()) << daemon_.log();
  ASSERT_TRUE(wait([&] { return sql("SELECT count(*) FROM baselines") == "1\n"; })) << daemon_.log();
  const std::string stored = "SELECT instr(text, 'opening hours') > 0, instr(text, 'first draft') > 0 FROM baselines";
  EXPECT_EQ(sql(stored), "1|0\n") << sql("SELECT text FROM baselines");
  EXPECT_EQ(sql("SELECT count(*) FROM incidents WHERE kind = 'content_changed'"), "0\n")
      << "a page seen while full was believed";

  // Kept across a restart, and compared with: a later change is reported.
  EXPECT_EQ(daemon_.stop(), 0);
  start_daemon();
  ASSERT_TRUE(wait_checks(3)) << daemon_.log();
  EXPECT_EQ(sql(stored), "1|0\n");
  put_page(kRedesigned);
  EXPECT_TRUE(wait([&] { return sql("SELECT count(*) FROM incidents WHERE kind = 'content_changed'") == "1\n"; }))
      << daemon_.log();
}

}  // namespace
}  // namespace netwarden::test
