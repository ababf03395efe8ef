#include "daemon/store/maintenance.h"

#include <sqlite3.h>

#include <string_view>

#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

constexpr std::string_view kAdd =
    "INSERT INTO maintenance_windows (target, from_ms, to_ms, reason, declared_by, declared_at_ms)"
    " VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kCurrent =
    "SELECT target, from_ms, to_ms, reason, declared_by, declared_at_ms FROM maintenance_windows"
    " WHERE to_ms > ? ORDER BY from_ms, id";

}  // namespace

Result<void> add_maintenance_window(Store& store, const MaintenanceWindow& window, Time declared_at) {
  constexpr std::string_view operation = "add_maintenance_window";
  auto stmt = StoreAccess::statement(store, kAdd, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(window.target).bind(window.from).bind(window.to).bind(window.reason).bind(window.declared_by);
  use.bind(declared_at);
  return StoreAccess::run(store, use, operation);
}

Result<std::vector<StoredWindow>> maintenance_windows(Store& store, Time now) {
  constexpr std::string_view operation = "maintenance_windows";
  auto stmt = StoreAccess::statement(store, kCurrent, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(now);
  std::vector<StoredWindow> out;
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) {
    out.push_back(
        StoredWindow{MaintenanceWindow{use.text(0), use.time(1), use.time(2), use.text(3), use.text(4)}, use.time(5)});
  }
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return out;
}

}  // namespace netwarden
