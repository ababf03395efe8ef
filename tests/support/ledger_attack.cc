#include "tests/support/ledger_attack.h"

#include <gtest/gtest.h>

#include "tests/support/child_process.h"

namespace netwarden::test {

void rewrite_ledger(const std::string& path, const std::string& sql) {
  const Finished triggers = run_program(
      {"/usr/bin/sqlite3", "-bail", path,
       "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('ledger', 'ledger_head')"});
  ASSERT_EQ(triggers.exit_code, 0) << triggers.err;
  const std::string script =
      "BEGIN; DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete; DROP TRIGGER ledger_continues_head;"
      "DROP TRIGGER ledger_advances_head; DROP TRIGGER ledger_head_only_advances; DROP TRIGGER ledger_head_no_delete;" +
      sql + ";" + triggers.out + "COMMIT;";
  const Finished done = run_program({"/usr/bin/sqlite3", "-bail", path, script});
  ASSERT_EQ(done.exit_code, 0) << script << "\n" << done.err;
}

}  // namespace netwarden::test
