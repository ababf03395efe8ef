#include "daemon/store/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace netwarden {

Error sqlite_error(sqlite3* db, std::string_view operation) {
  return Error{std::string(operation) + ": " + sqlite3_errmsg(db)};
}

Result<void> exec_sql(sqlite3* db, const char* sql, std::string_view operation) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
    return std::unexpected(sqlite_error(db, operation));
  return {};
}

}  // namespace netwarden
