// Incidents as stored: one row per incident, open or resolved, carrying the
// incident engine's full resumable state (state_json, owned by daemon/core
// and opaque here) so a restarted daemon carries on where it was.
//
// Incident ids are never reused, even after a row is deleted: the database
// keeps the next id beside the table and refuses a new row whose id is
// below it (migration 2). The engine takes next_incident_id() when it is
// rebuilt and counts from there.
//
// Follows Store's rules (store.h): Errors name the operation, one thread at
// a time; put_incident() is a decision, durable when its transaction commits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class Store;

struct IncidentRow {
  std::int64_t id = 0;
  std::string kind;     // "site_down", "content_changed", ...
  std::string subject;  // the target (or network segment) it is about
  std::string state;    // "open" or "resolved"
  Time opened_at;
  std::optional<Time> resolved_at;
  std::string state_json;
};

// Inserts the incident, or replaces the stored one with the same id. An
// Error when the id is new but below next_incident_id(): new ids only grow.
Result<void> put_incident(Store& store, const IncidentRow& incident);

// Open incidents, or all with include_resolved; by id.
Result<std::vector<IncidentRow>> incidents(Store& store, bool include_resolved);

Result<std::optional<IncidentRow>> incident(Store& store, std::int64_t id);

// The id for the next new incident: 1 for an empty store, else above every
// id ever stored.
Result<std::int64_t> next_incident_id(Store& store);

}  // namespace netwarden
