#include "daemon/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <tuple>

#include "daemon/store/incidents.h"
#include "daemon/store/ledger.h"
#include "daemon/store/migrations.h"
#include "tests/support/open_store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::open_store;
using test::TempDir;

// Reads one value through a connection of its own, as a tool would.
std::string query_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  std::string value = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

void exec_raw(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

Sample sample(const std::string& target, std::int64_t at_ms, bool up) {
  Sample s;
  s.target = target;
  s.at = from_unix_ms(at_ms);
  s.up = up;
  s.reason = up ? "" : "http_status";
  s.status = up ? 200 : 503;
  s.total_us = 12345;
  s.dns_us = 11;
  s.connect_us = 222;
  s.tls_us = 3333;
  s.first_byte_us = 4444;
  s.size = 20480;
  s.remote_address = "127.0.0.1:443";
  s.text_sha256 = "t" + std::to_string(at_ms);
  s.structure_sha256 = "s" + std::to_string(at_ms);
  if (up) s.cert_days_left = 42;
  s.details_json = R"({"content":"unchanged"})";
  return s;
}

auto fields(const Sample& s) {
  return std::tie(s.target, s.at, s.up, s.reason, s.status, s.total_us, s.dns_us, s.connect_us, s.tls_us,
                  s.first_byte_us, s.size, s.remote_address, s.text_sha256, s.structure_sha256, s.cert_days_left,
                  s.details_json);
}

// Counts syncs of write-ahead logs while installed as the default VFS: the
// default VFS with the sync of WAL files wrapped.
class WalSyncCounter {
 public:
  WalSyncCounter() : real_(sqlite3_vfs_find(nullptr)), vfs_(*real_) {
    vfs_.zName = "netwarden-wal-sync-counter";
    vfs_.pAppData = this;
    vfs_.xOpen = &open;
    active_ = this;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~WalSyncCounter() {
    sqlite3_vfs_register(real_, 1);
    sqlite3_vfs_unregister(&vfs_);
    active_ = nullptr;
  }
  int syncs() const { return syncs_; }

 private:
  static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    auto* self = static_cast<WalSyncCounter*>(vfs->pAppData);
    const int rc = self->real_->xOpen(self->real_, name, file, flags, out_flags);
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) && file->pMethods != nullptr) {
      self->real_methods_ = *file->pMethods;
      self->methods_ = *file->pMethods;
      self->methods_.xSync = &sync;
      file->pMethods = &self->methods_;
    }
    return rc;
  }
  static int sync(sqlite3_file* file, int flags) {
    ++active_->syncs_;
    return active_->real_methods_.xSync(file, flags);
  }

  static inline WalSyncCounter* active_ = nullptr;
  sqlite3_vfs* real_;
  sqlite3_vfs vfs_;
  sqlite3_io_methods real_methods_{}, methods_{};
  int syncs_ = 0;
};

TEST(StoreTest, MigratesAnEmptyFileToTheLatestVersion) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  auto store = open_store(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  store.reset();
  EXPECT_EQ(query_text(path, "PRAGMA user_version"), std::to_string(latest_schema_version()));
  EXPECT_EQ(query_text(path,
                       "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                       "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"),
            "baselines,content_changes,crawl_pages,crawls,history_state,hourly,incident_ids,incidents,ledger,"
            "ledger_head,maintenance_windows,outbox,samples,target_state");
}

TEST(StoreTest, RunsInWalMode) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  ASSERT_TRUE(open_store(path));
  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "wal");
}

TEST(StoreTest, ReopeningKeepsDataAndVersion) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->add_sample(sample("portal", 1000, true)));
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  auto rows = store->samples("portal", 10);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(fields((*rows)[0]), fields(sample("portal", 1000, true)));
}

TEST(StoreTest, RefusesANewerSchemaWithoutTouchingIt) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  const std::string newer = std::to_string(latest_schema_version() + 1);
  exec_raw(path, ("CREATE TABLE future (x); PRAGMA user_version = " + newer + ";").c_str());
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
  EXPECT_EQ(query_text(path, "PRAGMA user_version"), newer);
  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "delete");
}

TEST(StoreTest, RandomBytesAreAnErrorNotACrash) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  std::mt19937 random(7);
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < 16384; ++i) out.put(static_cast<char>(random()));
  out.close();
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos) << store.error().message;
}

TEST(StoreTest, DamagedPagesAreAnErrorNotACrash) {
  TempDir dir;
  const auto path = dir.file("netwarden.db");
  // The pages of the schema and the empty tables come first; the samples'
  // pages are added after them.
  ASSERT_TRUE(open_store(path));
  const auto schema_size = std::filesystem::file_size(path);
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(store->add_sample(sample("portal", i, true)));
  }
  exec_raw(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  // Keep the schema pages, scramble everything after them.
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, schema_size);
  file.seekp(static_cast<std::streamoff>(schema_size));
  std::mt19937 random(11);
  for (auto i = schema_size; i < size; ++i) file.put(static_cast<char>(random()));
  file.close();

  // The schema pages are intact, so the damage shows when the rows are read.
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  auto rows = (*store)->samples("portal", 1000);
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().message.find("samples: "), std::string::npos) << rows.error().message;
}

TEST(StoreTest, ErrorsNameTheOperation) {
  TempDir dir;
  auto opened = Store::open(dir.path().string());  // a directory, not a file
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message.rfind("open: ", 0), 0u) << opened.error().message;

  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  auto committed = store->commit();
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().message, "commit: no transaction is open");
}

TEST(StoreTest, SamplesComeBackNewestFirstAndArePruned) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->begin());
  for (std::int64_t at : {1000, 3000, 2000}) ASSERT_TRUE(store->add_sample(sample("portal", at, at != 2000)));
  ASSERT_TRUE(store->add_sample(sample("library", 1500, true)));
  ASSERT_TRUE(store->commit());

  auto rows = store->samples("portal", 2);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(fields((*rows)[0]), fields(sample("portal", 3000, true)));
  EXPECT_EQ(fields((*rows)[1]), fields(sample("portal", 2000, false)));
  EXPECT_FALSE((*rows)[1].cert_days_left.has_value());

  auto removed = store->prune_samples(from_unix_ms(2000));
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 2);  // portal@1000 and library@1500
  EXPECT_EQ(store->samples("portal", 10)->size(), 2u);
  EXPECT_TRUE(store->samples("library", 10)->empty());
}

TEST(StoreTest, NestedRollbackUndoesOnlyItsPart) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_sample(sample("portal", 1, true)));
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_sample(sample("portal", 2, true)));
  ASSERT_TRUE(store->rollback());
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_sample(sample("portal", 3, true)));
  ASSERT_TRUE(store->commit());
  ASSERT_TRUE(store->commit());
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_sample(sample("portal", 4, true)));
  ASSERT_TRUE(store->rollback());

  auto rows = store->samples("portal", 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(to_unix_ms((*rows)[0].at), 3);
  EXPECT_EQ(to_unix_ms((*rows)[1].at), 1);
}

TEST(StoreTest, BaselineIsReplaced) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  auto none = store->baseline("portal");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(
      store->put_baseline({"portal", "t1", "s1", "old text", "old structure", from_unix_ms(10), "first-fetch"}));
  ASSERT_TRUE(store->put_baseline({"portal", "t2", "s2", "new text", "new structure", from_unix_ms(20), "alice"}));
  auto b = store->baseline("portal");
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->text_sha256, "t2");
  EXPECT_EQ((*b)->structure_sha256, "s2");
  EXPECT_EQ((*b)->text, "new text");
  EXPECT_EQ((*b)->structure, "new structure");
  EXPECT_EQ((*b)->set_at, from_unix_ms(20));
  EXPECT_EQ((*b)->set_by, "alice");
  EXPECT_FALSE(store->baseline("library")->has_value());
}

TEST(StoreTest, ContentChangesAreAllKeptOldestFirst) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_content_change({"portal", from_unix_ms(5), "text", "a", "b", "old", "new"}));
  ASSERT_TRUE(store->add_content_change({"portal", from_unix_ms(5), "structure", "c", "d", "<p>", "<script>"}));
  ASSERT_TRUE(store->add_content_change({"library", from_unix_ms(6), "text", "e", "f", "x", "y"}));

  auto changes = store->content_changes("portal");
  ASSERT_TRUE(changes) << changes.error().message;
  ASSERT_EQ(changes->size(), 2u);
  const ContentChange& first = (*changes)[0];
  EXPECT_EQ(std::tie(first.target, first.at, first.what, first.old_sha256, first.new_sha256, first.old_content,
                     first.new_content),
            std::make_tuple(std::string("portal"), from_unix_ms(5), std::string("text"), std::string("a"),
                            std::string("b"), std::string("old"), std::string("new")));
  EXPECT_EQ((*changes)[1].what, "structure");
  EXPECT_EQ((*changes)[1].new_content, "<script>");
}

TEST(StoreTest, TargetStatesRoundTrip) {
  TempDir dir;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->put_target_state({"portal", from_unix_ms(1), R"({"up":true})"}));
  ASSERT_TRUE(store->put_target_state({"library", from_unix_ms(2), R"({"up":false})"}));
  ASSERT_TRUE(store->put_target_state({"portal", from_unix_ms(3), R"({"up":false})"}));

  auto states = store->target_states();
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), 2u);
  EXPECT_EQ((*states)[0].target, "library");
  EXPECT_EQ((*states)[1].target, "portal");
  EXPECT_EQ((*states)[1].updated_at, from_unix_ms(3));
  EXPECT_EQ((*states)[1].state_json, R"({"up":false})");
}

// synchronous=FULL: each commit syncs the WAL once, before it counts, so a
// batch of samples costs one flush and a failed flush fails the commit.
TEST(StoreTest, EveryCommitSyncsTheLogOnce) {
  TempDir dir;
  WalSyncCounter counter;
  auto store = open_store(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  const int after_open = counter.syncs();

  ASSERT_TRUE(store->begin());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->add_sample(sample("portal", i, true)));
  ASSERT_TRUE(store->put_baseline({"portal", "t", "s", "text", "structure", from_unix_ms(11), "first-fetch"}));
  EXPECT_EQ(counter.syncs(), after_open) << "synced before the commit";
  ASSERT_TRUE(store->commit());
  EXPECT_EQ(counter.syncs(), after_open + 1);

  ASSERT_TRUE(store->put_target_state({"portal", from_unix_ms(12), "{}"}));
  EXPECT_EQ(counter.syncs(), after_open + 2);
  ASSERT_TRUE(append_ledger(*store, {from_unix_ms(14), std::nullopt, "maintenance", "root", "{}"}));
  EXPECT_EQ(counter.syncs(), after_open + 3);
}

}  // namespace
}  // namespace netwarden
