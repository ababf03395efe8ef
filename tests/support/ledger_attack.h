// Rewriting a netwarden database's ledger as a careful attacker with a
// shell would: with the sqlite3 CLI, the append-only and head triggers
// dropped, the change made, and the triggers put back so the daemon notices
// nothing when it appends again. For the tests of what verification
// catches (tests/ledger_test.cc, tests/ledger_flow_test.cc).
#pragma once

#include <string>

namespace netwarden::test {

// Runs `sql` on the database file at `path` that way; a gtest failure when
// the CLI refuses (wrap calls in ASSERT_NO_FATAL_FAILURE).
void rewrite_ledger(const std::string& path, const std::string& sql);

}  // namespace netwarden::test
