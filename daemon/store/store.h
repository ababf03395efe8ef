// Store: the daemon's SQLite database (state_dir/netwarden.db).
//
// WAL mode; the schema is versioned (PRAGMA user_version) and migrated in
// code on open, oldest first, each migration in its own transaction. A file
// whose schema is newer than this build knows is refused untouched.
//
// Durability (docs/design.md §6): synchronous=FULL, so a commit syncs the
// WAL before it becomes visible. A sync that fails therefore fails the
// commit itself, and nothing of the transaction counts: a decision is either
// durable and visible or neither, never visible but in doubt (which would
// have it decided and recorded again). Samples share the batched commits of
// the writer thread, so the sync costs at most one flush per batch.
//
// Transactions nest: begin() inside a transaction opens a savepoint, and the
// matching commit()/rollback() releases or undoes only that part. commit()
// that fails rolls back what it was committing, so no transaction is left
// open on error; a savepoint that cannot be undone takes the whole
// transaction with it, so its outermost commit() fails. A write made outside
// begin()/commit() commits on its own.
//
// Every method returns an Error naming the operation and SQLite's message on
// failure; none throws. A Store is one connection: use it from one thread at
// a time (the daemon's StoreWriter thread owns one; start-up and tools open
// their own).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

// One web check as recorded.
struct Sample {
  std::string target;
  Time at;
  bool up = false;
  std::string reason;  // "" when up; else "dns", "http_status", "content_rule", ...
  int status = 0;
  std::int64_t total_us = 0, dns_us = 0, connect_us = 0, tls_us = 0, first_byte_us = 0;
  std::int64_t size = 0;
  std::string remote_address;
  std::string text_sha256;
  std::string structure_sha256;
  std::optional<int> cert_days_left;
  std::string details_json;  // everything else worth keeping (keywords, flags), as a JSON object
};

// The approved content of a target that later fetches are compared with.
struct Baseline {
  std::string target;
  std::string text_sha256;
  std::string structure_sha256;
  std::string text;       // normalised text, kept as evidence
  std::string structure;  // structure listing, kept as evidence
  Time set_at;
  std::string set_by;  // "first-fetch", or who approved it
};

// Evidence of a detected content change: both sides, normalised.
struct ContentChange {
  std::string target;
  Time at;
  std::string what;  // "text" or "structure"
  std::string old_sha256, new_sha256;
  std::string old_content, new_content;
};

// A target's latest state, kept so `netwardenctl targets` and a restarted
// daemon know it. state_json is owned by daemon/core (opaque here).
struct TargetStateRow {
  std::string target;
  Time updated_at;
  std::string state_json;
};

class Store {
 public:
  // Opens (creating if needed) the database file and migrates it.
  static Result<std::unique_ptr<Store>> open(const std::string& path);
  // Opens an existing file (schema version 2 or later) without writing to
  // it, not even to migrate: for reading the ledger of a copy
  // (`netwardend --verify-ledger`). Only reads succeed on it.
  static Result<std::unique_ptr<Store>> open_read_only(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;

  // Groups the writes made until commit() in one transaction.
  Result<void> begin();
  Result<void> commit();
  Result<void> rollback();

  Result<void> add_sample(const Sample& sample);
  Result<std::vector<Sample>> samples(const std::string& target, int limit);  // newest first
  // Deletes samples taken before `cutoff`; returns how many.
  Result<std::int64_t> prune_samples(Time cutoff);

  Result<std::optional<Baseline>> baseline(const std::string& target);
  Result<void> put_baseline(const Baseline& baseline);  // replaces the target's baseline
  Result<void> add_content_change(const ContentChange& change);
  Result<std::vector<ContentChange>> content_changes(const std::string& target);  // oldest first
  // The newest change of `what` ("text" or "structure"), if any.
  Result<std::optional<ContentChange>> latest_content_change(const std::string& target, const std::string& what);

  Result<void> put_target_state(const TargetStateRow& row);
  Result<std::vector<TargetStateRow>> target_states();  // ordered by target

 private:
  // The store's other files (ledger.cc, incidents.cc) reach the connection
  // through StoreAccess (daemon/store/store_access.h).
  friend class StoreAccess;
  struct Connection;  // the sqlite3 handle, its cached statements, the transaction depth
  explicit Store(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> c_;
};

}  // namespace netwarden
