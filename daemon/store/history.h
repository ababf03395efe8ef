// Hourly history: per target and UTC hour, what its probe samples said,
// kept long after the samples themselves are pruned, so that availability
// over a quarter or a year can still be computed (table `hourly`).
//
// roll_up_samples() turns the samples of every complete hour not yet rolled
// up into rows; keep_history(), the daemon's hourly job, calls it before it
// deletes samples, and deletes only samples already rolled up. Runs on the
// store's writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

class Store;

struct HourlyHistory {
  std::string target;
  Time hour;  // the hour's start, UTC
  std::int64_t checks = 0;
  std::int64_t failures = 0;
  // The time within the hour covered by failed checks: from each failed
  // check to the next check (at most an hour later), cut at the hour's end.
  Duration downtime{0};
  // Whole-check latency of the successful checks, nearest-rank; 0 without any.
  std::int64_t latency_p50_us = 0, latency_p95_us = 0, latency_max_us = 0;

  bool operator==(const HourlyHistory&) const = default;
};

// Rolls up the hours that ended at least five minutes before `now` (the
// writer may still hold a few samples of the hour just ended) and have not
// been rolled up; returns how many rows it wrote. In one transaction.
Result<std::int64_t> roll_up_samples(Store& store, Time now);

// The start of the first hour not yet rolled up: samples before it may go
// (the Unix epoch while nothing is).
Result<Time> rolled_up_until(Store& store);

// The target's rows with from <= hour < to, oldest first.
Result<std::vector<HourlyHistory>> hourly_history(Store& store, const std::string& target, Time from, Time to);

// Deletes the rows of hours before `cutoff`.
Result<void> prune_history(Store& store, Time cutoff);

// The hourly job: rolls up what it can, then deletes the samples older than
// `sample_retention` that are rolled up, and the history older than
// `history_retention`. Returns how many samples it deleted.
Result<std::int64_t> keep_history(Store& store, Time now, Duration sample_retention, Duration history_retention);

}  // namespace netwarden
