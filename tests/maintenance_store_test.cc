#include "daemon/store/maintenance.h"

#include <gtest/gtest.h>

#include "daemon/store/store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

Time at(Duration offset) { return from_unix_ms(1'800'000'000'000) + offset; }

TEST(MaintenanceStoreTest, KeepsDeclaredWindowsAndListsThoseNotOver) {
  test::TempDir dir;
  const auto path = dir.file("netwarden.db");
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE(add_maintenance_window(**store, {"portal", at(1h), at(2h), "换硬盘", "root as op"}, at(0h)));
    ASSERT_TRUE(add_maintenance_window(**store, {"news", at(0h), at(30min), "patch", "root"}, at(0h)));
  }
  auto store = Store::open(path);  // they outlive the connection
  ASSERT_TRUE(store) << store.error().message;
  auto current = maintenance_windows(**store, at(45min));
  ASSERT_TRUE(current) << current.error().message;
  ASSERT_EQ(current->size(), 1u);
  const StoredWindow& w = current->front();
  EXPECT_EQ(w.window.target, "portal");
  EXPECT_EQ(w.window.from, at(1h));
  EXPECT_EQ(w.window.to, at(2h));
  EXPECT_EQ(w.window.reason, "换硬盘");
  EXPECT_EQ(w.window.declared_by, "root as op");
  EXPECT_EQ(w.declared_at, at(0h));

  auto both = maintenance_windows(**store, at(0h));
  ASSERT_TRUE(both);
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].window.target, "news");  // by start
}

TEST(MaintenanceStoreTest, RefusesAWindowThatEndsBeforeItStarts) {
  test::TempDir dir;
  auto store = Store::open(dir.file("netwarden.db"));
  ASSERT_TRUE(store);
  auto added = add_maintenance_window(**store, {"portal", at(2h), at(1h), "x", "root"}, at(0h));
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message.find("add_maintenance_window"), std::string::npos) << added.error().message;
}

}  // namespace
}  // namespace netwarden
