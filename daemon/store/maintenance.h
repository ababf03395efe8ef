// Maintenance windows declared over the control socket (`netwardenctl
// maintenance`). The config's own windows are not stored: they are read
// from the config at every start. Declared windows are kept for good, as
// the record of what was declared, by whom and when; the daemon reloads
// those not yet over.
//
// Follows Store's rules (store.h): Errors name the operation, one thread at
// a time; add_maintenance_window() is a decision, durable when its
// transaction commits.
#pragma once

#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"

namespace netwarden {

class Store;

struct StoredWindow {
  MaintenanceWindow window;  // declared_by set
  Time declared_at;
};

Result<void> add_maintenance_window(Store& store, const MaintenanceWindow& window, Time declared_at);

// Windows ending after `now`, by start.
Result<std::vector<StoredWindow>> maintenance_windows(Store& store, Time now);

}  // namespace netwarden
