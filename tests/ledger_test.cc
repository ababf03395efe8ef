#include "daemon/store/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <string>
#include <tuple>

#include "daemon/store/incidents.h"
#include "daemon/store/migrations.h"
#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"
#include "tests/support/child_process.h"
#include "tests/support/ledger_attack.h"
#include "tests/support/open_store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::open_store;
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

// A new file with the schema of `version`, as an older netwarden left it.
std::string file_at_version(const TempDir& dir, int version) {
  const auto path = dir.file("netwarden.db");
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto migrated = migrate(db, 0, version);
  sqlite3_close(db);
  EXPECT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated.value_or(0), version);
  return path;
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

TEST(LedgerTest, MigratingAVersion1FileKeepsItsData) {
  TempDir dir;
  const auto path = file_at_version(dir, 1);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path,
                                     "INSERT INTO baselines VALUES ('portal', 't', 's', 'text', 'structure', 5, "
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

// ---- The keyed chain, anchors and start-up verification ----

LedgerKey test_key(char digit = 'a') {
  auto key = ledger_key_from_hex(std::string(64, digit));
  EXPECT_TRUE(key) << key.error().message;
  return key ? *key : LedgerKey{};
}

// A store whose chain is keyed from its first row (when `key` is given),
// holding the events 1..n after the marker; closed again.
std::string keyed_ledger_file(const TempDir& dir, const std::optional<LedgerKey>& key, int n) {
  const auto path = dir.file("netwarden.db");
  auto store = open_store(path);
  if (!store) return path;
  auto started = start_ledger_segment(*store, key, from_unix_ms(1'700'000'000'000));
  EXPECT_TRUE(started) << started.error().message;
  for (int i = 1; i <= n; ++i) EXPECT_TRUE(append_ledger(*store, event(i)));
  return path;
}

LedgerCheck verified_with(const std::string& path, const std::optional<LedgerKey>& key) {
  auto store = open_store(path);
  if (!store) return {};
  auto check = verify_ledger(*store, key);
  EXPECT_TRUE(check) << check.error().message;
  return check ? *check : LedgerCheck{};
}

std::vector<LedgerRow> rows_of(const std::string& path) {
  auto store = open_store(path);
  if (!store) return {};
  auto rows = ledger_rows(*store);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? *rows : std::vector<LedgerRow>{};
}

std::vector<AnchorBreak> anchor_breaks(const std::string& path, const std::vector<LedgerAnchor>& anchors) {
  auto store = open_store(path);
  if (!store) return {};
  auto breaks = check_ledger_anchors(*store, anchors);
  EXPECT_TRUE(breaks) << breaks.error().message;
  return breaks ? *breaks : std::vector<AnchorBreak>{};
}

// An anchor as a notification carries it: the head after row `seq`.
LedgerAnchor anchor_at(const std::vector<LedgerRow>& rows, std::int64_t seq) {
  return LedgerAnchor{seq, rows.at(static_cast<std::size_t>(seq - 1)).hash, "mail-" + std::to_string(seq) + ".eml"};
}

void attack(const std::string& path, const std::string& sql) { test::rewrite_ledger(path, sql); }

std::string sql_text(const std::string& text) { return "'" + text + "'"; }

// Rewrites the rows from index `from` on so the plain SHA-256 chain holds
// again (all an attacker without the key can compute), and moves the head.
std::string rehash_sql(std::vector<LedgerRow> rows, std::size_t from) {
  std::string sql;
  for (std::size_t i = from; i < rows.size(); ++i) {
    if (i > 0) rows[i].prev_hash = rows[i - 1].hash;
    rows[i].hash = ledger_hash(rows[i].prev_hash, rows[i].seq, rows[i].event);
    sql += "UPDATE ledger SET details_json = " + sql_text(rows[i].event.details_json) +
           ", prev_hash = " + sql_text(rows[i].prev_hash) + ", hash = " + sql_text(rows[i].hash) +
           " WHERE seq = " + std::to_string(rows[i].seq) + ";";
  }
  sql += "UPDATE ledger_head SET seq = " + std::to_string(rows.back().seq) + ", hash = " + sql_text(rows.back().hash) +
         ";";
  return sql;
}

// 1. Edit a row.
void edit_row(const std::string& path, std::int64_t seq) {
  attack(path, "UPDATE ledger SET details_json = '{\"step\":0}' WHERE seq = " + std::to_string(seq));
}

// 2. Edit a row and re-hash it and every later one.
void edit_and_rehash(const std::string& path, std::int64_t seq) {
  auto rows = rows_of(path);
  const auto index = static_cast<std::size_t>(seq - 1);
  rows[index].event.details_json = R"({"step":0})";
  attack(path, rehash_sql(rows, index));
}

// 3. Append a forged row with a correctly computed (SHA-256) hash.
void append_forged(const std::string& path) {
  auto rows = rows_of(path);
  const LedgerRow& last = rows.back();
  const LedgerEvent forged{from_unix_ms(1'700'000'100'000), 7, "acknowledged", "alice", "{}"};
  const std::int64_t seq = last.seq + 1;
  const std::string hash = ledger_hash(last.hash, seq, forged);
  attack(path, "INSERT INTO ledger VALUES (" + std::to_string(seq) + ", " + std::to_string(to_unix_ms(forged.at)) +
                   ", 7, 'acknowledged', 'alice', '{}', " + sql_text(last.hash) + ", " + sql_text(hash) +
                   "); UPDATE ledger_head SET seq = " + std::to_string(seq) + ", hash = " + sql_text(hash));
}

// 4. Delete the newest rows and rewind the head to the last one kept.
void truncate_and_rewind(const std::string& path, std::int64_t keep) {
  const auto rows = rows_of(path);
  attack(path, "DELETE FROM ledger WHERE seq > " + std::to_string(keep) + "; UPDATE ledger_head SET seq = " +
                   std::to_string(keep) + ", hash = " + sql_text(rows.at(static_cast<std::size_t>(keep - 1)).hash));
}

TEST(LedgerKeyTest, ReadsAHexKeyFileOnlyItsOwnerCanRead) {
  TempDir dir;
  const auto path = dir.file("ledger.key");
  std::ofstream(path) << std::string(64, 'A') << "\n";
  ::chmod(path.c_str(), 0600);
  auto key = load_ledger_key(path);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->secret, std::string(32, '\xaa'));
  EXPECT_EQ(key->id.size(), 16u);
  EXPECT_EQ(key->id, test_key('a').id);
  EXPECT_NE(key->id, test_key('b').id);

  ::chmod(path.c_str(), 0640);
  auto open = load_ledger_key(path);
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("mode 0640"), std::string::npos) << open.error().message;
  EXPECT_EQ(open.error().message.rfind("ledger key " + path + ": ", 0), 0u) << open.error().message;

  const auto short_path = dir.file("short.key");
  std::ofstream(short_path) << std::string(63, 'a');
  ::chmod(short_path.c_str(), 0600);
  auto short_key = load_ledger_key(short_path);
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("64 hex digits"), std::string::npos) << short_key.error().message;

  const auto bad_path = dir.file("bad.key");
  std::ofstream(bad_path) << std::string(63, 'a') << "g";
  ::chmod(bad_path.c_str(), 0600);
  auto bad = load_ledger_key(bad_path);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("character 64"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(load_ledger_key(dir.file("missing.key")));
}

TEST(LedgerTest, AKeyedChainStartsAtAMarkerAndVerifiesWithItsKey) {
  TempDir dir;
  const LedgerKey key = test_key();
  const auto path = keyed_ledger_file(dir, key, 3);
  const auto rows = rows_of(path);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].event.type, kSegmentMarker);
  EXPECT_EQ(rows[0].event.details_json, R"({"key_id":")" + key.id + R"("})");
  EXPECT_EQ(rows[0].event.details_json.find(std::string(64, 'a')), std::string::npos) << "never the key itself";
  EXPECT_EQ(rows[2].hash, ledger_hash(rows[1].hash, 3, rows[2].event, &key));
  EXPECT_NE(rows[2].hash, ledger_hash(rows[1].hash, 3, rows[2].event));

  const LedgerCheck check = verified_with(path, key);
  EXPECT_TRUE(check.ok()) << check.broken->message;
  EXPECT_EQ(check.count, 4);
  ASSERT_EQ(check.segments.size(), 1u);
  EXPECT_EQ(check.segments[0].key_id, key.id);
  EXPECT_TRUE(check.segments[0].checked);
  EXPECT_EQ(check.segments[0].last_seq, 4);

  // Without the key only seq and links can be checked.
  const LedgerCheck keyless = verified_with(path, std::nullopt);
  EXPECT_TRUE(keyless.ok());
  ASSERT_EQ(keyless.segments.size(), 1u);
  EXPECT_FALSE(keyless.segments[0].checked);

  // A restart with the same key adds no marker.
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto again = start_ledger_segment(*store, key, from_unix_ms(1'700'000'000'000));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->marker);
  EXPECT_TRUE(again->new_breaks.empty());
}

// ---- Tampering: one row per rewrite of the file ----

// What the rewrites below are given: the file and its rows before the rewrite.
using Rewrite = std::function<void(const std::string& path, const std::vector<LedgerRow>& rows)>;

Rewrite sql(const std::string& statements) {
  return [statements](const std::string& path, const std::vector<LedgerRow>&) { attack(path, statements); };
}

// A row of `rows` as SQL values, with its seq replaced by `seq`.
std::string row_values(const LedgerRow& r, std::int64_t seq) {
  return "(" + std::to_string(seq) + ", " + std::to_string(to_unix_ms(r.event.at)) + ", " +
         (r.event.incident_id ? std::to_string(*r.event.incident_id) : "NULL") + ", " + sql_text(r.event.type) + ", " +
         sql_text(r.event.actor) + ", " + sql_text(r.event.details_json) + ", " + sql_text(r.prev_hash) + ", " +
         sql_text(r.hash) + ")";
}

// A rewrite, and what verification (with the chain's own key) says after it:
// the first break, or none; which anchors taken before the rewrite
// disagree with the file; and whether the daemon can still append.
struct Tampering {
  std::string name;
  bool keyed;  // the chain starts with a marker for test_key(), and is verified with it
  int events;  // event(1..events), after the marker when keyed
  Rewrite rewrite;
  std::optional<LedgerProblem> problem = std::nullopt;  // none: the chain alone cannot tell
  std::int64_t seq = 0;                                 // the first broken seq
  std::vector<std::int64_t> anchors = {};               // the heads the messages carried before the rewrite
  std::vector<std::int64_t> anchor_breaks = {};         // those that must disagree
  std::string anchor_says = "";                         // part of the first disagreement's message
  int appended = 0;                                     // events the daemon appends after the rewrite
  bool append_refused = false;
};

const std::vector<Tampering> kTamperings = {
    {"edit a row", false, 4, [](auto& path, auto&) { edit_row(path, 2); }, LedgerProblem::hash_mismatch, 2},
    {"edit a row of a keyed chain", true, 4, [](auto& path, auto&) { edit_row(path, 3); }, LedgerProblem::hash_mismatch,
     3},
    {"change a timestamp", false, 4, sql("UPDATE ledger SET at_ms = at_ms + 1 WHERE seq = 3"),
     LedgerProblem::hash_mismatch, 3},
    {"swap two rows' payloads", false, 4,
     sql("UPDATE ledger SET details_json = CASE seq WHEN 2 THEN (SELECT details_json FROM ledger WHERE seq = 3) "
         "ELSE (SELECT details_json FROM ledger WHERE seq = 2) END WHERE seq IN (2, 3)"),
     LedgerProblem::hash_mismatch, 2},
    {"swap two rows", false, 4,
     [](auto& path, auto& rows) {
       attack(path, "DELETE FROM ledger WHERE seq IN (2, 3); INSERT INTO ledger VALUES " + row_values(rows[2], 2) +
                        ", " + row_values(rows[1], 3));
     },
     LedgerProblem::broken_link, 2},
    {"edit a row and re-hash it alone", false, 4,
     [](auto& path, auto& rows) {
       LedgerEvent forged = rows[1].event;
       forged.actor = "someone-else";
       attack(path, "UPDATE ledger SET actor = 'someone-else', hash = " +
                        sql_text(ledger_hash(rows[0].hash, 2, forged)) + " WHERE seq = 2");
     },
     LedgerProblem::broken_link, 3},
    {"edit a row and re-hash the rest, keyed", true, 4, [](auto& path, auto&) { edit_and_rehash(path, 3); },
     LedgerProblem::hash_mismatch, 3},
    {"edit a row and re-hash the rest, unkeyed",
     false,
     4,
     [](auto& path, auto&) { edit_and_rehash(path, 3); },
     std::nullopt,
     0,
     {2, 4},
     {4},
     "rewritten"},
    {"delete a middle row", false, 5, sql("DELETE FROM ledger WHERE seq = 3"), LedgerProblem::missing_rows, 3},
    {"delete the first row", false, 3, sql("DELETE FROM ledger WHERE seq = 1"), LedgerProblem::missing_rows, 1},
    // Rows 1..4 of 5 still form a whole chain; the head kept in ledger_head
    // (moved by the database on each append) tells that a fifth existed.
    {"delete the last row", false, 5, sql("DELETE FROM ledger WHERE seq = 5"), LedgerProblem::missing_tail, 5},
    {"cut the chain's two newest rows", true, 5, sql("DELETE FROM ledger WHERE seq > 4"), LedgerProblem::missing_tail,
     5},
    {"delete the last row, then the daemon appends",
     false,
     3,
     sql("DELETE FROM ledger WHERE seq = 3"),
     LedgerProblem::missing_rows,
     3,
     {},
     {},
     "",
     1},
    {"insert a row behind the daemon", false, 2,
     [](auto& path, auto& rows) {
       const LedgerEvent forged = event(3);
       attack(path, "INSERT INTO ledger VALUES (3, " + std::to_string(to_unix_ms(forged.at)) +
                        ", 7, 'notified', 'netwardend', " + sql_text(forged.details_json) + ", " +
                        sql_text(rows[1].hash) + ", " + sql_text(ledger_hash(rows[1].hash, 3, forged)) + ")");
     },
     LedgerProblem::unrecorded_rows, 3},
    // A table rebuilt without STRICT accepts text where a number belongs;
    // read as an integer, "<at_ms>abc" would give back the original time.
    {"a value of the wrong type", false, 3,
     sql("CREATE TABLE loose AS SELECT * FROM ledger; DROP TABLE ledger; ALTER TABLE loose RENAME TO ledger;"
         "UPDATE ledger SET at_ms = CAST(at_ms AS TEXT) || 'abc' WHERE seq = 2"),
     LedgerProblem::malformed_row, 2},
    {"delete the head", false, 2, sql("DELETE FROM ledger_head"), LedgerProblem::head_missing, 0, {}, {}, "", 1, true},
    {"append a forged row, keyed",
     true,
     3,
     [](auto& path, auto&) { append_forged(path); },
     LedgerProblem::hash_mismatch,
     5,
     {4}},
    {"append a forged row, unkeyed", false, 3, [](auto& path, auto&) { append_forged(path); }},
    {"a forged marker after a forged row", true, 3,
     [](auto& path, auto&) {
       edit_row(path, 2);
       append_forged(path);
       attack(path, R"(UPDATE ledger SET type = 'segment_started', details_json = '{"key_id":")" + test_key().id +
                        R"(","after_break":{}}' WHERE seq = 5)");
     },
     LedgerProblem::hash_mismatch, 2},
    // Cut after the last anchor sent: nothing outside the file remembers.
    {"truncate and rewind the head, keyed",
     true,
     5,
     [](auto& path, auto&) { truncate_and_rewind(path, 3); },
     std::nullopt,
     0,
     {2, 5},
     {5},
     "beyond the last row (3)"},
    {"truncate and rewind the head, unkeyed",
     false,
     5,
     [](auto& path, auto&) { truncate_and_rewind(path, 3); },
     std::nullopt,
     0,
     {2, 5},
     {5},
     "beyond the last row (3)"},
    {"truncate, rewind and append again",
     true,
     5,
     [](auto& path, auto&) { truncate_and_rewind(path, 3); },
     std::nullopt,
     0,
     {5},
     {5},
     "seq 5 has hash",
     3},
};

TEST(LedgerTest, EachTamperingIsFoundWhereItShouldBe) {
  for (const Tampering& t : kTamperings) {
    SCOPED_TRACE(t.name);
    TempDir dir;
    const std::optional<LedgerKey> key = t.keyed ? std::optional(test_key()) : std::nullopt;
    const auto path = keyed_ledger_file(dir, key, t.events);
    const auto before = rows_of(path);
    ASSERT_NO_FATAL_FAILURE(t.rewrite(path, before));
    if (t.appended > 0) {
      auto store = open_store(path);
      ASSERT_TRUE(store);
      use_ledger_key(*store, key);
      for (int i = 0; i < t.appended; ++i) {
        auto appended = append_ledger(*store, event(9));
        EXPECT_EQ(!appended, t.append_refused) << (appended ? "appended" : appended.error().message);
      }
    }

    const LedgerCheck check = verified_with(path, key);
    if (!t.problem) {
      EXPECT_TRUE(check.ok()) << check.broken->message;
    } else {
      ASSERT_FALSE(check.ok());
      EXPECT_EQ(check.broken->problem, *t.problem) << check.broken->message;
      if (t.seq != 0) {
        EXPECT_EQ(check.broken->seq, t.seq) << check.broken->message;
        EXPECT_EQ(check.broken->message.rfind("seq " + std::to_string(t.seq) + ": ", 0), 0u) << check.broken->message;
      }
      EXPECT_EQ(check.breaks.size(), 1u);
      EXPECT_FALSE(check.current_whole()) << "nothing recorded the break";
    }

    std::vector<LedgerAnchor> anchors;
    for (std::int64_t seq : t.anchors) anchors.push_back(anchor_at(before, seq));
    const auto breaks = anchor_breaks(path, anchors);
    std::vector<std::int64_t> disagreeing;
    for (const AnchorBreak& b : breaks) disagreeing.push_back(b.anchor.seq);
    EXPECT_EQ(disagreeing, t.anchor_breaks);
    if (!breaks.empty()) {
      EXPECT_EQ(breaks[0].anchor.source, "mail-" + std::to_string(breaks[0].anchor.seq) + ".eml");
      EXPECT_NE(breaks[0].message.find(t.anchor_says), std::string::npos) << breaks[0].message;
    }
  }
}

TEST(LedgerTest, StartUpRecordsABreakAndContinuesOnANewSegment) {
  TempDir dir;
  const LedgerKey key = test_key();
  const auto path = keyed_ledger_file(dir, key, 4);
  ASSERT_NO_FATAL_FAILURE(edit_and_rehash(path, 3));
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto started = start_ledger_segment(*store, key, from_unix_ms(1'700'000'200'000));
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_EQ(started->new_breaks.size(), 1u);
  EXPECT_EQ(started->new_breaks[0].seq, 3);
  ASSERT_TRUE(started->marker);
  EXPECT_EQ(*started->marker, 6);
  ASSERT_TRUE(append_ledger(*store, event(7)));

  auto check = verify_ledger(*store, key);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_FALSE(check->ok()) << "the old break stays in the report";
  ASSERT_EQ(check->breaks.size(), 1u);
  EXPECT_EQ(check->breaks[0].seq, 3);
  EXPECT_EQ(check->breaks[0].recorded_at, 6);
  EXPECT_TRUE(check->current_whole());
  ASSERT_EQ(check->segments.size(), 2u);
  EXPECT_FALSE(check->segments[0].whole);
  EXPECT_EQ(check->segments[1].first_seq, 6);
  EXPECT_EQ(check->segments[1].last_seq, 7);
  EXPECT_TRUE(check->segments[1].whole);
  EXPECT_EQ(check->last_seq, 7);

  // Known breaks are not recorded twice.
  auto again = start_ledger_segment(*store, key, from_unix_ms(1'700'000'300'000));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->new_breaks.empty());
  EXPECT_FALSE(again->marker);

  // An edit in the new segment is a new break.
  store.reset();
  ASSERT_NO_FATAL_FAILURE(edit_row(path, 7));
  const LedgerCheck after = verified_with(path, key);
  EXPECT_FALSE(after.current_whole());
  ASSERT_EQ(after.breaks.size(), 2u);
  EXPECT_EQ(after.breaks[1].seq, 7);
  EXPECT_FALSE(after.breaks[1].recorded_at);
}

TEST(LedgerTest, StartUpAfterADeletedTailBeginsANewSegmentPastTheGap) {
  TempDir dir;
  const LedgerKey key = test_key();
  const auto path = keyed_ledger_file(dir, key, 4);
  ASSERT_NO_FATAL_FAILURE(attack(path, "DELETE FROM ledger WHERE seq >= 4"));
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto started = start_ledger_segment(*store, key, from_unix_ms(1'700'000'200'000));
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_EQ(started->new_breaks.size(), 1u);
  EXPECT_EQ(started->new_breaks[0].problem, LedgerProblem::missing_tail);
  auto check = verify_ledger(*store, key);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->current_whole());
  ASSERT_EQ(check->breaks.size(), 1u);
  EXPECT_EQ(check->breaks[0].problem, LedgerProblem::missing_rows);
  EXPECT_EQ(check->breaks[0].recorded_at, started->marker);
}

TEST(LedgerTest, AnotherKeyStartsANewSegmentAndTheOldOneIsNotChecked) {
  TempDir dir;
  const auto path = keyed_ledger_file(dir, test_key('a'), 2);
  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto started = start_ledger_segment(*store, test_key('b'), from_unix_ms(1'700'000'200'000));
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_TRUE(started->new_breaks.empty());
  EXPECT_EQ(started->marker, 4);
  auto check = verify_ledger(*store, test_key('b'));
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok());
  ASSERT_EQ(check->segments.size(), 2u);
  EXPECT_FALSE(check->segments[0].checked);
  EXPECT_TRUE(check->segments[1].checked);
}

TEST(LedgerTest, AnUnkeyedVersion4DatabaseUpgradesInPlaceAndContinuesKeyed) {
  TempDir dir;
  const auto path = file_at_version(dir, 4);
  // Rows as the version-4 daemon wrote them: plain SHA-256.
  std::string sql;
  std::string prev(kLedgerGenesisHash);
  for (int i = 1; i <= 3; ++i) {
    const LedgerEvent e = event(i);
    const std::string hash = ledger_hash(prev, i, e);
    sql += "INSERT INTO ledger VALUES (" + std::to_string(i) + ", " + std::to_string(to_unix_ms(e.at)) + ", " +
           (e.incident_id ? std::to_string(*e.incident_id) : "NULL") + ", 'notified', 'netwardend', " +
           sql_text(e.details_json) + ", " + sql_text(prev) + ", " + sql_text(hash) + ");";
    prev = hash;
  }
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, sql));
  const auto old_rows = rows_of(path);  // opening migrates
  ASSERT_EQ(cli_value(path, "PRAGMA user_version"), std::to_string(latest_schema_version()));

  auto store = open_store(path);
  ASSERT_TRUE(store);
  const LedgerKey key = test_key();
  auto started = start_ledger_segment(*store, key, from_unix_ms(1'700'000'200'000));
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_TRUE(started->check.ok());
  EXPECT_EQ(started->marker, 4);
  ASSERT_TRUE(append_ledger(*store, event(5)));
  auto check = verify_ledger(*store, key);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok()) << check->broken->message;
  ASSERT_EQ(check->segments.size(), 2u);
  EXPECT_EQ(check->segments[0].key_id, "");
  EXPECT_EQ(check->segments[0].last_seq, 3);
  EXPECT_EQ(check->segments[1].key_id, key.id);
  auto rows = ledger_rows(*store);
  ASSERT_TRUE(rows);
  for (std::size_t i = 0; i < old_rows.size(); ++i)
    EXPECT_EQ((*rows)[i].hash, old_rows[i].hash) << "rows stay as they are";
}

TEST(LedgerTest, ACopyIsVerifiedReadOnly) {
  TempDir dir;
  const LedgerKey key = test_key();
  const auto path = keyed_ledger_file(dir, key, 3);
  ASSERT_NO_FATAL_FAILURE(sqlite_cli(path, "PRAGMA wal_checkpoint(TRUNCATE)"));
  ::chmod(path.c_str(), 0400);
  auto store = Store::open_read_only(path);
  ASSERT_TRUE(store) << store.error().message;
  auto check = verify_ledger(**store, key);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->count, 4);
  EXPECT_FALSE(append_ledger(**store, event(9)));
  EXPECT_FALSE(Store::open_read_only(dir.file("missing.db")));
}

IncidentRow incident_row(std::int64_t id, const std::string& state) {
  IncidentRow row{id,
                  "site_down",
                  "portal",
                  state,
                  from_unix_ms(100 * id),
                  std::nullopt,
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
