// StoreAccess: how the store's other files (ledger.cc, incidents.cc) run
// their own statements on a Store's connection, so that each table's code
// lives in a file of its own instead of growing store.cc. For daemon/store
// only; same threading rule as the Store it is given.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string_view>

#include "common/result.h"
#include "daemon/store/ledger_key.h"
#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"

namespace netwarden {

class StoreAccess {
 public:
  // The statement for `sql`, prepared on the store's connection at its first
  // use and kept until the store closes, like the Store's own statements.
  // An Error names `operation` when the SQL does not prepare.
  static Result<sqlite3_stmt*> statement(Store& store, std::string_view sql, std::string_view operation);

  // "<operation>: <sqlite3_errmsg>" for the error just returned on the store's connection.
  static Error error(Store& store, std::string_view operation);

  // Runs a statement that returns no rows.
  static Result<void> run(Store& store, StatementUse& use, std::string_view operation);

  // Whether a begin() is open on the store.
  static bool in_transaction(Store& store);

  // The key this connection's ledger appends hash with (ledger.h).
  static std::optional<LedgerKey>& ledger_key(Store& store);
};

}  // namespace netwarden
