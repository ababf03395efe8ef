#include "daemon/store/incidents.h"

#include <sqlite3.h>

#include <string_view>

#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

// An upsert rather than INSERT OR REPLACE: replacing deletes the old row first.
constexpr std::string_view kPut =
    "INSERT INTO incidents (id, kind, subject, state, opened_at_ms, resolved_at_ms, state_json)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, subject = excluded.subject, state = excluded.state,"
    " opened_at_ms = excluded.opened_at_ms, resolved_at_ms = excluded.resolved_at_ms,"
    " state_json = excluded.state_json";
constexpr std::string_view kOpen =
    "SELECT id, kind, subject, state, opened_at_ms, resolved_at_ms, state_json FROM incidents"
    " WHERE state = 'open' ORDER BY id";
constexpr std::string_view kAll =
    "SELECT id, kind, subject, state, opened_at_ms, resolved_at_ms, state_json FROM incidents ORDER BY id";
constexpr std::string_view kOne =
    "SELECT id, kind, subject, state, opened_at_ms, resolved_at_ms, state_json FROM incidents WHERE id = ?";
constexpr std::string_view kNextId = "SELECT next FROM incident_ids";

IncidentRow read_incident(const StatementUse& row) {
  return IncidentRow{row.integer(0), row.text(1),          row.text(2), row.text(3),
                     row.time(4),    row.optional_time(5), row.text(6)};
}

}  // namespace

Result<void> put_incident(Store& store, const IncidentRow& incident) {
  constexpr std::string_view operation = "put_incident";
  auto stmt = StoreAccess::statement(store, kPut, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(incident.id).bind(incident.kind).bind(incident.subject).bind(incident.state).bind(incident.opened_at);
  use.bind(incident.resolved_at).bind(incident.state_json);
  return StoreAccess::run(store, use, operation);
}

Result<std::vector<IncidentRow>> incidents(Store& store, bool include_resolved) {
  constexpr std::string_view operation = "incidents";
  auto stmt = StoreAccess::statement(store, include_resolved ? kAll : kOpen, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  std::vector<IncidentRow> out;
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) out.push_back(read_incident(use));
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return out;
}

Result<std::optional<IncidentRow>> incident(Store& store, std::int64_t id) {
  constexpr std::string_view operation = "incident";
  auto stmt = StoreAccess::statement(store, kOne, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(id);
  const int rc = use.bound() ? use.step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<IncidentRow>();
  if (rc != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return read_incident(use);
}

Result<std::int64_t> next_incident_id(Store& store) {
  constexpr std::string_view operation = "next_incident_id";
  auto stmt = StoreAccess::statement(store, kNextId, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  const int rc = use.step();
  if (rc == SQLITE_DONE) return fail("next_incident_id: the row holding the next id is missing");
  if (rc != SQLITE_ROW) return std::unexpected(StoreAccess::error(store, operation));
  return use.integer(0);
}

}  // namespace netwarden
