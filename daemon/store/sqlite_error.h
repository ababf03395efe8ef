// The one place SQLite's errors become netwarden Errors.
#pragma once

#include <string_view>

#include "common/result.h"

struct sqlite3;

namespace netwarden {

// "<operation>: <sqlite3_errmsg>", for the error just returned on `db`.
Error sqlite_error(sqlite3* db, std::string_view operation);

// Runs one or more SQL statements that return no rows.
Result<void> exec_sql(sqlite3* db, const char* sql, std::string_view operation);

}  // namespace netwarden
