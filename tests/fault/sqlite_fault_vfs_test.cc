// The fault VFS (tests/support/sqlite_fault_vfs.c) on its own: loaded with
// dlopen as LD_PRELOAD would load it, then a plain SQLite database in WAL
// mode whose writes and syncs fail exactly when its control file says.
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

class SqliteFaultVfsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static TempDir dir("netwarden-fault-vfs");
    control_ = dir.file("control");
    db_path_ = dir.file("test.db");
    // Read once, when the library loads.
    setenv("NETWARDEN_FAULT_VFS_CONTROL", control_.c_str(), 1);
    ASSERT_NE(dlopen(NETWARDEN_FAULT_VFS, RTLD_NOW | RTLD_GLOBAL), nullptr) << dlerror();
  }

  void SetUp() override {
    set("");
    std::filesystem::remove(db_path_);
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db_), SQLITE_OK);
    ASSERT_EQ(exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (x)"), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  void TearDown() override { sqlite3_close(db_); }

  static void set(const std::string& lines) {
    std::ofstream(control_ + ".next") << lines;
    std::filesystem::rename(control_ + ".next", control_);
  }
  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  int insert() { return exec("INSERT INTO t VALUES (1)"); }
  int rows() {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, "SELECT count(*) FROM t", -1, &stmt, nullptr);
    const int n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return n;
  }

  static inline std::string control_, db_path_;
  sqlite3* db_ = nullptr;
};

TEST_F(SqliteFaultVfsTest, IsTheDefaultVfs) {
  ASSERT_NE(sqlite3_vfs_find(nullptr), nullptr);
  EXPECT_STREQ(sqlite3_vfs_find(nullptr)->zName, "netwarden_fault");
  EXPECT_EQ(insert(), SQLITE_OK);
  EXPECT_EQ(rows(), 1);
}

TEST_F(SqliteFaultVfsTest, FailsEveryWriteWithTheNamedErrorUntilTheFileChanges) {
  set("write SQLITE_FULL\n");
  EXPECT_EQ(insert(), SQLITE_FULL);
  EXPECT_EQ(insert(), SQLITE_FULL);
  set("write SQLITE_IOERR_WRITE\n");
  EXPECT_EQ(insert(), SQLITE_IOERR);
  EXPECT_EQ(sqlite3_extended_errcode(db_), SQLITE_IOERR_WRITE);
  set("");
  EXPECT_EQ(insert(), SQLITE_OK) << sqlite3_errmsg(db_);
  EXPECT_EQ(rows(), 1);
}

TEST_F(SqliteFaultVfsTest, FailsSyncs) {
  set("sync SQLITE_IOERR_FSYNC\n");
  EXPECT_EQ(insert(), SQLITE_IOERR);
  EXPECT_EQ(sqlite3_extended_errcode(db_), SQLITE_IOERR_FSYNC);
  set("");
  EXPECT_EQ(insert(), SQLITE_OK) << sqlite3_errmsg(db_);
}

TEST_F(SqliteFaultVfsTest, SkipsThenFailsCountCalls) {
  // With synchronous = FULL each commit syncs the WAL once: the second
  // insert fails, the first and third succeed.
  set("sync SQLITE_IOERR_FSYNC 1 1\n");
  EXPECT_EQ(insert(), SQLITE_OK) << sqlite3_errmsg(db_);
  EXPECT_EQ(insert(), SQLITE_IOERR);
  EXPECT_EQ(insert(), SQLITE_OK) << sqlite3_errmsg(db_);
  EXPECT_EQ(rows(), 2);
}

TEST_F(SqliteFaultVfsTest, IgnoresALineItCannotParse) {
  set("write SQLITE_BUSY\nsink SQLITE_FULL\n");
  EXPECT_EQ(insert(), SQLITE_OK) << sqlite3_errmsg(db_);
}

}  // namespace
}  // namespace netwarden::test
