// The keeper believes a decision only once the store has it: a refused write
// leaves the engine as it was, the same observations are decided again on a
// later tick, and what fell due meanwhile is queued once, marked late.
// The store "refuses" here by having its only queue slot taken (a held
// job), which goes through the same path as a full disk or an I/O error.
#include "daemon/incidents/incident_keeper.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>

#include "daemon/post_to.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "tests/incident_test_config.h"
#include "tests/support/temp_dir.h"
#include "tests/support/writer_gate.h"

namespace netwarden {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

Config keeper_config() {
  Config c = test::incident_config();
  for (auto& [id, person] : c.people) person.email = id + "@example.edu.cn";
  c.mail.from = "netwarden@example.edu.cn";
  c.mail.message_id_domain = "example.edu.cn";
  return c;
}

// A check stamped with its start, a second before it reports.
CheckVerdict down_verdict() {
  CheckVerdict v;
  v.at = now_utc() - 1s;
  v.reason = "connect";
  v.detail = "connection refused";
  return v;
}

struct KeeperTest : ::testing::Test {
  test::TempDir dir;
  std::string db = dir.file("netwarden.db");
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  Config config = keeper_config();
  MailTemplates templates = load_mail_templates("").value();
  WriteHealth health;
  std::unique_ptr<StoreWriter> writer;
  std::unique_ptr<IncidentKeeper> keeper;
  int mail_wakeups = 0;

  void SetUp() override {
    auto store = Store::open(db);
    ASSERT_TRUE(store) << store.error().message;
    // One pending job at most: a held job makes the store refuse the rest.
    writer = std::make_unique<StoreWriter>(std::move(*store), post_to(io.get_executor()), 1);
    keeper = std::make_unique<IncidentKeeper>(
        io.get_executor(), *writer, health, config, templates, [this] { ++mail_wakeups; }, EngineState{}, now_utc());
  }
  void TearDown() override {
    keeper->stop();
    writer->stop();
  }

  void run_until(const std::function<bool()>& done, std::chrono::seconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "condition not reached in time";
      io.run_one_for(100ms);
    }
  }

  // Reads the store on a connection of its own: only what was committed.
  std::vector<LedgerRow> ledger() {
    auto reader = Store::open(db);
    EXPECT_TRUE(reader);
    auto rows = ledger_rows(**reader);
    EXPECT_TRUE(rows);
    return *rows;
  }
};

TEST_F(KeeperTest, RefusedDecisionChangesNothingAndIsDecidedAgainLate) {
  test::WriterGate gate;
  ASSERT_TRUE(writer->post(gate.job()));
  gate.wait_entered();

  keeper->observe("portal", down_verdict());
  keeper->observe("portal", down_verdict());  // the second failure confirms the outage
  run_until([&] { return health.failing().has_value(); });
  EXPECT_TRUE(keeper->engine().open_incidents().empty()) << "believed before it was written";
  EXPECT_EQ(keeper->refused_decisions(), 1u);
  EXPECT_EQ(mail_wakeups, 0);

  // An action refused by the store changes nothing either.
  std::optional<Result<Decisions>> answer;
  MaintenanceWindow window{"news", now_utc(), now_utc() + 1h, "upgrade", ""};
  keeper->change([window](IncidentEngine& e, Time now) { return e.declare_maintenance(window, "root", now); }, nullptr,
                 [&](Result<Decisions> r) { answer = std::move(r); });
  run_until([&] { return answer.has_value(); });
  ASSERT_FALSE(*answer);
  EXPECT_NE(answer->error().message.find("not recorded"), std::string::npos) << answer->error().message;
  EXPECT_TRUE(keeper->engine().maintenance_windows().empty());

  gate.release();
  keeper->start();  // the next tick decides the kept observations again
  run_until([&] { return !keeper->engine().open_incidents().empty(); });
  EXPECT_FALSE(health.failing());
  EXPECT_EQ(mail_wakeups, 1);

  int opened = 0, fired = 0;
  for (const auto& row : ledger()) {
    if (row.event.type == "opened") ++opened;
    if (row.event.type == "step_fired") {
      ++fired;
      EXPECT_NE(row.event.details_json.find("\"late\":\"true\""), std::string::npos) << row.event.details_json;
    }
    EXPECT_NE(row.event.type, "maintenance_declared");
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(fired, 1);
  auto reader = Store::open(db);
  ASSERT_TRUE(reader);
  auto mails = outbox_for_incident(**reader, 1);
  ASSERT_TRUE(mails) << mails.error().message;
  ASSERT_EQ(mails->size(), 1u);
  EXPECT_EQ(mails->front().person, "op");
}

TEST_F(KeeperTest, ActionsAreAnsweredOnlyOnceRecorded) {
  keeper->observe("portal", down_verdict());
  keeper->observe("portal", down_verdict());
  run_until([&] { return !keeper->engine().open_incidents().empty(); });
  const IncidentId id = keeper->engine().open_incidents().begin()->first;

  std::optional<Result<Decisions>> first, second;
  auto ack = [id](IncidentEngine& e, Time now) { return e.acknowledge(id, "root", "on it", now); };
  keeper->change(ack, nullptr, [&](Result<Decisions> r) { first = std::move(r); });
  keeper->change(ack, nullptr, [&](Result<Decisions> r) { second = std::move(r); });
  run_until([&] { return first.has_value() && second.has_value(); });
  ASSERT_TRUE(*first) << first->error().message;
  ASSERT_FALSE(*second) << "decided against the first acknowledgement, once recorded";
  EXPECT_NE(second->error().message.find("already acknowledged"), std::string::npos);
  EXPECT_TRUE(keeper->engine().open_incidents().at(id).acknowledged_at.has_value());
}

TEST_F(KeeperTest, StoreWorkOfARefusedActionRollsBackWithIt) {
  std::optional<Result<Decisions>> answer;
  keeper->change([](IncidentEngine& e, Time now) { return e.approve("portal", "root", "", now); },
                 [](Store&) -> Result<void> { return fail("baseline evidence unreadable"); },
                 [&](Result<Decisions> r) { answer = std::move(r); });
  run_until([&] { return answer.has_value(); });
  ASSERT_FALSE(*answer);
  EXPECT_NE(answer->error().message.find("baseline evidence unreadable"), std::string::npos);
  for (const auto& row : ledger()) EXPECT_NE(row.event.type, "approved");
}

}  // namespace
}  // namespace netwarden
