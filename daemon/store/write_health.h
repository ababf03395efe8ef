// WriteHealth: whether the daemon's decisions reach the disk.
//
// Everything that must be recorded before it is believed (incident
// decisions, baselines, evidence, target state) reports here how its write
// ended. While writes fail, `status` shows STORE FAILING with the error and
// since when, systemd's STATUS says so, and the office is told; the first
// write that works again ends it. Samples may be dropped (counted where
// they are dropped); they report here only while writes fail, so that a
// quiet system, with no decision to write, still learns when writes work.
//
// Thread-safety: single-threaded; called on the io thread (writer
// completions are posted there).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

struct WriteFailure {
  Time since;         // the first failed write of this spell
  std::string error;  // the latest error
  std::string what;   // what the latest failed write was for ("incident decisions", ...)
};

class WriteHealth {
 public:
  // `changed` runs when writes start failing (with the failure) and when
  // they work again (with nullopt).
  using Listener = std::function<void(const std::optional<WriteFailure>&)>;
  void on_change(Listener listener) { listener_ = std::move(listener); }

  // How a write that must not be lost ended.
  void record(const char* what, const Result<void>& written, Time now);

  const std::optional<WriteFailure>& failing() const { return failing_; }
  std::uint64_t failed_writes() const { return failed_writes_; }

 private:
  std::optional<WriteFailure> failing_;
  std::uint64_t failed_writes_ = 0;
  Listener listener_;
};

}  // namespace netwarden
