#include "daemon/store/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <tuple>

#include "daemon/store/incidents.h"
#include "daemon/store/migrations.h"
#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::TempDir;

// Changes the file as someone with a shell on the server would.
void sqlite_cli(const std::string& path, const std::string& sql) {
  const test::Finished done = test::run_program({"/usr/bin/sqlite3", "-bail", path, sql});
  ASSERT_EQ(done.exit_code, 0) << sql << "\n" << done.err;
}

std::string cli_value(const std::string& path, const std::string& sql) {
  const test::Finished done = test::run_program({"/usr/bin/sqlite3", "-bail", path, sql});
  EXPECT_EQ(done.exit_code, 0) << sql << "\n" << done.err;
  return done.out.substr(0, done.out.find('\n'));
}

std::unique_ptr<Store> open_store(const std::string& path) {
  auto store = Store::open(path);
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

LedgerEvent event(int n) {
  return LedgerEvent{from_unix_ms(1'700'000'000'000 + n), n % 2 ? std::optional<std::int64_t>(7) : std::nullopt,
                     "notified", "netwardend", R"({"step":)" + std::to_string(n) + "}"};
}

auto fields(const LedgerEvent& e) { return std::tie(e.at, e.incident_id, e.type, e.actor, e.details_json); }

// A store holding the events 1..n, closed again so a tool can change the file.
std::string ledger_file(const TempDir& dir, int n) {
  const auto path = dir.file("netwarden.db");
  auto store = open_store(path);
  for (int i = 1; store && i <= n; ++i) EXPECT_TRUE(append_ledger(*store, event(i)));
  return path;
}

LedgerCheck verified(const std::string& path) {
  auto store = open_store(path);
  if (!store) return {};
  auto check = verify_ledger(*store);
  EXPECT_TRUE(check) << check.error().message;
  return check ? *check : LedgerCheck{};
}

// Runs `sql` on the Store's own connection, as the daemon would.
Result<void> run_on_store(Store& store, const std::string& sql) {
  auto stmt = StoreAccess::statement(store, sql, "test statement");
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  return StoreAccess::run(store, use, "test statement");
}

TEST(LedgerTest, CanonicalFormIsPinned) {
  // Every stored hash depends on these bytes: changing them breaks every ledger already written.
  const LedgerEvent raised{from_unix_ms(1'700'000'000'123), 7, "raised", "netwardend", R"({"target":"portal"})"};
  EXPECT_EQ(ledger_canonical(1, raised),
            R"(18:netwarden-ledger-1,1:1,13:1700000000123,1:7,6:raised,10:netwardend,19:{"target":"portal"},)");
  EXPECT_EQ(ledger_hash(kLedgerGenesisHash, 1, raised),
            "280c0339784f53f378512e84d91b5b062875ddf099d1bef64d0ea470b00943b3");
  const LedgerEvent declared{from_unix_ms(-5), std::nullopt, "maintenance", "root", "{}"};
  EXPECT_EQ(ledger_canonical(2, declared), "18:netwarden-ledger-1,1:2,2:-5,0:,11:maintenance,4:root,2:{},");
}

TEST(LedgerTest, CanonicalFormKeepsFieldsApart) {
  const LedgerEvent a{from_unix_ms(1), 1, "ab", "c", "{}"};
  const LedgerEvent b{from_unix_ms(1), 1, "a", "bc", "{}"};
  EXPECT_NE(ledger_canonical(1, a), ledger_canonical(1, b));
  const LedgerEvent none{from_unix_ms(1), std::nullopt, "x", "y", "{}"};
  const LedgerEvent zero{from_unix_ms(1), 0, "x", "y", "{}"};
  EXPECT_NE(ledger_canonical(1, none), ledger_canonical(1, zero));
  EXPECT_NE(ledger_hash(kLedgerGenesisHash, 1, a), ledger_hash(kLedgerGenesisHash, 2, a));
}

TEST(LedgerTest, AnEmptyLedgerVerifies) {
  TempDir dir;
  const LedgerCheck check = verified(ledger_file(dir, 0));
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.count, 0);
  EXPECT_EQ(check.last_hash, kLedgerGenesisHash);
}

TEST(LedgerTest, AppendsAChainThatVerifies) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  for (int i = 1; i <= 4; ++i) {
    auto seq = append_ledger(*store, event(i));
    ASSERT_TRUE(seq) << seq.error().message;
    EXPECT_EQ(*seq, i);
  }
  auto rows = ledger_rows(*store);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  std::string prev(kLedgerGenesisHash);
  for (int i = 0; i < 4; ++i) {
    const LedgerRow& row = (*rows)[static_cast<std::size_t>(i)];
    EXPECT_EQ(row.seq, i + 1);
    EXPECT_EQ(fields(row.event), fields(event(i + 1)));
    EXPECT_EQ(row.prev_hash, prev);
    EXPECT_EQ(row.hash, ledger_hash(prev, row.seq, row.event));
    prev = row.hash;
  }
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->ok()) << check->broken->message;
  EXPECT_EQ(check->count, 4);
  EXPECT_EQ(check->last_hash, prev);

  auto of_incident = ledger_rows(*store, 7);
  ASSERT_TRUE(of_incident) << of_incident.error().message;
  ASSERT_EQ(of_incident->size(), 2u);
  EXPECT_EQ((*of_incident)[0].seq, 1);
  EXPECT_EQ((*of_incident)[1].seq, 3);
  EXPECT_TRUE(ledger_rows(*store, 8)->empty());
}

TEST(LedgerTest, ReopeningContinuesTheChain) {
  TempDir dir;
  const auto path = ledger_file(dir, 2);
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto seq = append_ledger(*store, event(3));
  ASSERT_TRUE(seq) << seq.error().message;
  EXPECT_EQ(*seq, 3);
  auto rows = ledger_rows(*store);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].prev_hash, (*rows)[1].hash);
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->count, 3);
}

TEST(LedgerTest, ARolledBackAppendLeavesNoTrace) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(append_ledger(*store, event(1)));
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(append_ledger(*store, event(2)));
  ASSERT_TRUE(store->rollback());
  auto seq = append_ledger(*store, event(3));
  ASSERT_TRUE(seq) << seq.error().message;
  EXPECT_EQ(*seq, 2);
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok()) << check->broken->message;
  EXPECT_EQ(check->count, 2);
}

TEST(LedgerTest, TheDaemonsConnectionCannotRewriteTheLedger) {
  TempDir dir;
  auto store = open_store(ledger_file(dir, 3));
  ASSERT_TRUE(store);
  for (const char* sql : {"UPDATE ledger SET details_json = '{}' WHERE seq = 2", "DELETE FROM ledger WHERE seq = 3",
                          "DELETE FROM ledger"}) {
    auto refused = run_on_store(*store, sql);
    ASSERT_FALSE(refused) << sql;
    EXPECT_NE(refused.error().message.find("ledger is append-only"), std::string::npos) << refused.error().message;
  }
  // Nor move the head back to hide a deletion, nor append beside it.
  EXPECT_FALSE(run_on_store(*store, "UPDATE ledger_head SET seq = 2"));
  EXPECT_FALSE(run_on_store(*store, "DELETE FROM ledger_head"));
  auto beside = run_on_store(*store, "INSERT INTO ledger VALUES (9, 0, NULL, 't', 'a', '{}', '', '')");
  ASSERT_FALSE(beside);
  EXPECT_NE(beside.error().message.find("does not continue"), std::string::npos) << beside.error().message;

  auto check = verify_ledger(*store);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->count, 3);
}

TEST(LedgerTest, AnEditedRowIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 4);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_update;"
                                           "UPDATE ledger SET details_json = '{\"step\":0}' WHERE seq = 2"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 2);
  EXPECT_EQ(check.broken->problem, LedgerProblem::hash_mismatch);
  EXPECT_EQ(check.broken->message.rfind("seq 2: ", 0), 0u) << check.broken->message;
  EXPECT_EQ(check.count, 1);
}

TEST(LedgerTest, AnEditedAndRehashedRowBreaksTheNextLink) {
  TempDir dir;
  const auto path = ledger_file(dir, 4);
  LedgerEvent forged = event(2);
  forged.actor = "someone-else";
  const std::string prev = cli_value(path, "SELECT hash FROM ledger WHERE seq = 1");
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_update;"
                                           "UPDATE ledger SET actor = 'someone-else', hash = '" +
                                               ledger_hash(prev, 2, forged) + "' WHERE seq = 2"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 3);
  EXPECT_EQ(check.broken->problem, LedgerProblem::broken_link);
}

TEST(LedgerTest, ADeletedMiddleRowIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 5);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 3"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 3);
  EXPECT_EQ(check.broken->problem, LedgerProblem::missing_rows);
}

TEST(LedgerTest, ADeletedFirstRowIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 3);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 1"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 1);
  EXPECT_EQ(check.broken->problem, LedgerProblem::missing_rows);
}

// Rows 1..4 of 5 still form a whole chain: by itself it cannot tell that a
// fifth existed. The head kept in ledger_head (updated by the database on
// each append) can, unless the same person also rewinds the head (after
// dropping its trigger); catching that needs a copy of the head kept outside
// the file, which the store does not attempt.
TEST(LedgerTest, ADeletedLastRowIsNamedThroughTheHead) {
  TempDir dir;
  const auto path = ledger_file(dir, 5);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 5"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 5);
  EXPECT_EQ(check.broken->problem, LedgerProblem::missing_tail);
  EXPECT_EQ(check.count, 4);
}

TEST(LedgerTest, AppendingAfterADeletedTailDoesNotHideIt) {
  TempDir dir;
  const auto path = ledger_file(dir, 3);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 3"));
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto seq = append_ledger(*store, event(4));
  ASSERT_TRUE(seq) << seq.error().message;
  EXPECT_EQ(*seq, 4);
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check);
  ASSERT_FALSE(check->ok());
  EXPECT_EQ(check->broken->seq, 3);
  EXPECT_EQ(check->broken->problem, LedgerProblem::missing_rows);
}

TEST(LedgerTest, ARowAddedBehindTheDaemonIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 2);
  const std::string prev = cli_value(path, "SELECT hash FROM ledger WHERE seq = 2");
  const LedgerEvent forged = event(3);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(
      path, "DROP TRIGGER ledger_advances_head;"
            "INSERT INTO ledger VALUES (3, " + std::to_string(to_unix_ms(forged.at)) + ", 7, 'notified', 'netwardend', '" +
                forged.details_json + "', '" + prev + "', '" + ledger_hash(prev, 3, forged) + "')"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 3);
  EXPECT_EQ(check.broken->problem, LedgerProblem::unrecorded_rows);
}

// A table rebuilt without STRICT accepts text where a number belongs; read
// as an integer, "<at_ms>abc" would give back the original time and pass.
TEST(LedgerTest, AValueOfTheWrongTypeIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 3);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "CREATE TABLE loose AS SELECT * FROM ledger; DROP TABLE ledger;"
                                           "ALTER TABLE loose RENAME TO ledger;"
                                           "UPDATE ledger SET at_ms = CAST(at_ms AS TEXT) || 'abc' WHERE seq = 2"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->seq, 2);
  EXPECT_EQ(check.broken->problem, LedgerProblem::malformed_row);
}

TEST(LedgerTest, ADeletedHeadIsNamed) {
  TempDir dir;
  const auto path = ledger_file(dir, 2);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DROP TRIGGER ledger_head_no_delete; DELETE FROM ledger_head"));
  const LedgerCheck check = verified(path);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.broken->problem, LedgerProblem::head_missing);
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto refused = append_ledger(*store, event(3));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind("append_ledger: ", 0), 0u) << refused.error().message;
}

TEST(LedgerTest, MigratingAVersion1FileKeepsItsData) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto v1 = migrate(db, 0, 1);
  sqlite3_close(db);
  ASSERT_TRUE(v1) << v1.error().message;
  ASSERT_EQ(*v1, 1);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "INSERT INTO baselines VALUES ('portal', 't', 's', 'text', 'structure', 5, "
                                           "'alice'); INSERT INTO target_state VALUES ('portal', 6, '{\"up\":true}')"));

  auto store = open_store(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  auto baseline = store->baseline("portal");
  ASSERT_TRUE(baseline && baseline->has_value());
  EXPECT_EQ((*baseline)->set_by, "alice");
  EXPECT_EQ((*baseline)->text, "text");
  auto states = store->target_states();
  ASSERT_TRUE(states);
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].state_json, R"({"up":true})");

  EXPECT_EQ(next_incident_id(*store).value_or(-1), 1);
  ASSERT_TRUE(append_ledger(*store, event(1)));
  auto check = verify_ledger(*store);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->count, 1);
}

IncidentRow incident_row(std::int64_t id, const std::string& state) {
  IncidentRow row{id, "site_down", "portal", state, from_unix_ms(100 * id), std::nullopt,
                  R"({"fired":[)" + std::to_string(id) + "]}"};
  if (state == "resolved") row.resolved_at = from_unix_ms(100 * id + 50);
  return row;
}

auto fields(const IncidentRow& r) {
  return std::tie(r.id, r.kind, r.subject, r.state, r.opened_at, r.resolved_at, r.state_json);
}

TEST(IncidentStoreTest, IncidentsRoundTrip) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  EXPECT_EQ(next_incident_id(*store).value_or(-1), 1);
  for (const IncidentRow& row : {incident_row(1, "open"), incident_row(2, "resolved"), incident_row(3, "open")}) {
    auto put = put_incident(*store, row);
    ASSERT_TRUE(put) << put.error().message;
  }
  auto open = incidents(*store, false);
  ASSERT_TRUE(open) << open.error().message;
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ(fields((*open)[0]), fields(incident_row(1, "open")));
  EXPECT_EQ(fields((*open)[1]), fields(incident_row(3, "open")));

  auto all = incidents(*store, true);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(fields((*all)[1]), fields(incident_row(2, "resolved")));

  // Replacing keeps one row per id.
  ASSERT_TRUE(put_incident(*store, incident_row(3, "resolved")));
  auto one = incident(*store, 3);
  ASSERT_TRUE(one) << one.error().message;
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ(fields(**one), fields(incident_row(3, "resolved")));
  EXPECT_EQ(incidents(*store, true)->size(), 3u);
  EXPECT_EQ(incidents(*store, false)->size(), 1u);
  EXPECT_FALSE(incident(*store, 4)->has_value());
  EXPECT_EQ(next_incident_id(*store).value_or(-1), 4);
}

TEST(IncidentStoreTest, IdsAreNeverReused) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    for (int id = 1; id <= 3; ++id) ASSERT_TRUE(put_incident(*store, incident_row(id, "open")));
  }
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "DELETE FROM incidents WHERE id >= 2"));
  auto store = open_store(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(next_incident_id(*store).value_or(-1), 4);
  auto reused = put_incident(*store, incident_row(3, "open"));
  ASSERT_FALSE(reused);
  EXPECT_NE(reused.error().message.find("put_incident: incident id was already used"), std::string::npos)
      << reused.error().message;
  ASSERT_TRUE(put_incident(*store, incident_row(1, "resolved"))) << "an existing incident is still updated";
  ASSERT_TRUE(put_incident(*store, incident_row(4, "open")));
  EXPECT_EQ(next_incident_id(*store).value_or(-1), 5);
}

}  // namespace
}  // namespace netwarden
