// The store's schema history and the code that brings a file up to date.
//
// PRAGMA user_version is the number of migrations applied. Migrations are
// only ever appended: a released one is never edited, a change to the schema
// is a new script at the end.
#pragma once

#include "common/result.h"

struct sqlite3;

namespace netwarden {

// The version this build migrates to.
int latest_schema_version();

// The file's user_version; an Error, without writing anything, when it is
// newer than this build knows (a downgrade would corrupt it) or unreadable.
Result<int> known_schema_version(sqlite3* db);

// Applies the migrations after `from` up to `to`, each in its own
// transaction, so an interrupted upgrade resumes at the last whole step.
// Returns the new version. `to` below the latest is for tests that need a
// file as an older netwarden left it.
Result<int> migrate(sqlite3* db, int from, int to = latest_schema_version());

}  // namespace netwarden
