#include "daemon/store/history.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"
#include "daemon/store/transaction.h"

namespace netwarden {

namespace {

constexpr Duration kHour = std::chrono::hours(1);
// The writer may still hold samples of an hour that just ended.
constexpr Duration kSettle = std::chrono::minutes(5);
// Hours rolled up in one call: a first roll-up after an upgrade meets days
// of samples, and the writer should not be held for all of them at once.
constexpr int kMaxHoursPerCall = 24;
// A failed check counts as downtime until the next check, but not across a
// gap longer than this (the daemon was stopped).
constexpr Duration kLongestSpan = kHour;

constexpr std::string_view kUntil = "SELECT rolled_up_until_ms FROM history_state";
constexpr std::string_view kSetUntil = "INSERT OR REPLACE INTO history_state (id, rolled_up_until_ms) VALUES (1, ?)";
constexpr std::string_view kFirstSample = "SELECT min(at_ms) FROM samples";
// Ordered by target so that one target's samples are in memory at a time.
constexpr std::string_view kSamples =
    "SELECT target, at_ms, up, total_us FROM samples WHERE at_ms >= ? AND at_ms < ? ORDER BY target, at_ms";
constexpr std::string_view kInsert =
    "INSERT OR REPLACE INTO hourly (target, hour_ms, checks, failures, downtime_ms, latency_p50_us, latency_p95_us,"
    " latency_max_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kRead =
    "SELECT target, hour_ms, checks, failures, downtime_ms, latency_p50_us, latency_p95_us, latency_max_us"
    " FROM hourly WHERE target = ? AND hour_ms >= ? AND hour_ms < ? ORDER BY hour_ms";
constexpr std::string_view kPrune = "DELETE FROM hourly WHERE hour_ms < ?";

Time hour_of(Time t) { return std::chrono::floor<std::chrono::hours>(t); }

struct Check {
  Time at;
  bool up = false;
  std::int64_t total_us = 0;
};

std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, int percent) {
  if (sorted.empty()) return 0;
  const std::size_t rank = (sorted.size() * static_cast<std::size_t>(percent) + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

// The rows for one target's hours in [from, to) from its checks in order,
// which may begin before `from` (a failure running into the first hour)
// and end after `to` (the check that ends the last failure).
std::vector<HourlyHistory> hours_of(const std::string& target, const std::vector<Check>& checks, Time from, Time to) {
  std::map<Time, HourlyHistory> hours;
  std::map<Time, std::vector<std::int64_t>> latencies;
  auto row = [&](Time hour) -> HourlyHistory& {
    auto [it, added] = hours.try_emplace(hour);
    if (added) {
      it->second.target = target;
      it->second.hour = hour;
    }
    return it->second;
  };
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    if (c.at >= from && c.at < to) {
      HourlyHistory& h = row(hour_of(c.at));
      ++h.checks;
      if (!c.up) ++h.failures;
      if (c.up) latencies[h.hour].push_back(c.total_us);
    }
    if (c.up) continue;
    const Time next = i + 1 < checks.size() ? checks[i + 1].at : c.at + kLongestSpan;
    Time start = std::max(c.at, from);
    const Time end = std::min({next, c.at + kLongestSpan, to});
    while (start < end) {
      const Time hour_end = hour_of(start) + kHour;
      const Time piece_end = std::min(end, hour_end);
      row(hour_of(start)).downtime += piece_end - start;
      start = piece_end;
    }
  }
  std::vector<HourlyHistory> out;
  for (auto& [hour, h] : hours) {
    std::vector<std::int64_t>& l = latencies[hour];
    std::sort(l.begin(), l.end());
    h.latency_p50_us = nearest_rank(l, 50);
    h.latency_p95_us = nearest_rank(l, 95);
    h.latency_max_us = l.empty() ? 0 : l.back();
    out.push_back(std::move(h));
  }
  return out;
}

Result<void> write_hours(Store& store, const std::vector<HourlyHistory>& rows, std::int64_t& written) {
  for (const HourlyHistory& h : rows) {
    auto stmt = StoreAccess::statement(store, kInsert, "roll_up_samples");
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    use.bind(h.target)
        .bind(h.hour)
        .bind(h.checks)
        .bind(h.failures)
        .bind(std::int64_t{h.downtime.count()})
        .bind(h.latency_p50_us)
        .bind(h.latency_p95_us)
        .bind(h.latency_max_us);
    if (auto ran = StoreAccess::run(store, use, "roll_up_samples"); !ran) return ran;
    ++written;
  }
  return {};
}

// Where rolling up starts: after the last roll-up, else at the first sample's hour.
Result<std::optional<Time>> roll_up_start(Store& store) {
  for (std::string_view sql : {kUntil, kFirstSample}) {
    auto stmt = StoreAccess::statement(store, sql, "roll_up_samples");
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    const int rc = use.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, "roll_up_samples"));
    if (rc == SQLITE_ROW) {
      if (std::optional<Time> at = use.optional_time(0)) return hour_of(*at);
    }
  }
  return std::nullopt;
}

Result<std::int64_t> roll_up(Store& store, Time from, Time to) {
  auto stmt = StoreAccess::statement(store, kSamples, "roll_up_samples");
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(from - kLongestSpan).bind(to + kLongestSpan);
  std::int64_t written = 0;
  std::string target;
  std::vector<Check> checks;
  // One target's checks are complete: its hours go in.
  auto flush = [&]() -> Result<void> {
    if (checks.empty()) return {};
    auto w = write_hours(store, hours_of(target, checks, from, to), written);
    checks.clear();
    return w;
  };
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) {
    std::string t = use.text(0);
    if (t != target) {
      if (auto w = flush(); !w) return std::unexpected(w.error());
    }
    target = std::move(t);
    checks.push_back({*use.optional_time(1), use.integer(2) != 0, use.integer(3)});
  }
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, "roll_up_samples"));
  if (auto w = flush(); !w) return std::unexpected(w.error());
  return written;
}

// Runs `sql`, which takes one time and returns no rows.
Result<void> run_at(Store& store, std::string_view sql, std::string_view operation, Time at) {
  auto stmt = StoreAccess::statement(store, sql, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(at);
  return StoreAccess::run(store, use, operation);
}

}  // namespace

Result<std::int64_t> roll_up_samples(Store& store, Time now) {
  auto start = roll_up_start(store);
  if (!start) return std::unexpected(start.error());
  const Time complete = hour_of(now - kSettle);
  if (!*start || **start >= complete) return 0;
  const Time to = std::min(complete, **start + kMaxHoursPerCall * kHour);
  return in_transaction(store, [&]() -> Result<std::int64_t> {
    auto written = roll_up(store, **start, to);
    if (!written) return written;
    if (auto set = run_at(store, kSetUntil, "roll_up_samples", to); !set) return std::unexpected(set.error());
    return written;
  });
}

Result<Time> rolled_up_until(Store& store) {
  auto stmt = StoreAccess::statement(store, kUntil, "rolled_up_until");
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  const int rc = use.step();
  if (rc == SQLITE_ROW) return *use.optional_time(0);
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, "rolled_up_until"));
  return Time{};  // nothing rolled up: no sample may go
}

Result<std::vector<HourlyHistory>> hourly_history(Store& store, const std::string& target, Time from, Time to) {
  auto stmt = StoreAccess::statement(store, kRead, "hourly_history");
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(target).bind(from).bind(to);
  std::vector<HourlyHistory> out;
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) {
    out.push_back({use.text(0), *use.optional_time(1), use.integer(2), use.integer(3), Duration(use.integer(4)),
                   use.integer(5), use.integer(6), use.integer(7)});
  }
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, "hourly_history"));
  return out;
}

Result<void> prune_history(Store& store, Time cutoff) { return run_at(store, kPrune, "prune_history", cutoff); }

Result<std::int64_t> keep_history(Store& store, Time now, Duration sample_retention, Duration history_retention) {
  auto rolled = roll_up_samples(store, now);
  if (!rolled) return std::unexpected(rolled.error());
  auto until = rolled_up_until(store);
  if (!until) return std::unexpected(until.error());
  auto removed = store.prune_samples(std::min(now - sample_retention, *until));
  if (!removed) return std::unexpected(removed.error());
  if (auto pruned = prune_history(store, now - history_retention); !pruned) return std::unexpected(pruned.error());
  return removed;
}

}  // namespace netwarden
