// Runs writes as one transaction: committed when they succeed, undone when
// they fail, the writes' own error the one reported. Inside an open
// transaction it is a savepoint (store.h: transactions nest).
#pragma once

#include <expected>

#include "common/result.h"
#include "daemon/store/store.h"

namespace netwarden {

// `write` returns a Result of any value type; so does in_transaction.
template <class Write>
auto in_transaction(Store& store, Write write) -> decltype(write()) {
  if (auto begun = store.begin(); !begun) return std::unexpected(begun.error());
  auto written = write();
  if (!written) {
    // A rollback that fails abandons the whole transaction (store.h); the
    // write's error is still the one worth reporting.
    [[maybe_unused]] auto rolled_back = store.rollback();
    return written;
  }
  if (auto committed = store.commit(); !committed) return std::unexpected(committed.error());
  return written;
}

}  // namespace netwarden
