// PeerLogLimit: lets a warning about one peer (by uid) through at most once
// per interval, so a client repeating a refused request or connection cannot
// flood the log, while every uid that is refused is still named at least
// once per interval.
//
// Thread-safety: none; use it from one thread (the daemon's io thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <unordered_map>

namespace netwarden {

class PeerLogLimit {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PeerLogLimit(Clock::duration interval = std::chrono::minutes(1)) : interval_(interval) {}

  // True when nothing about `uid` was let through within the interval
  // before `now`; it then counts as let through at `now`.
  bool allow(uid_t uid, Clock::time_point now = Clock::now());

 private:
  Clock::duration interval_;
  std::unordered_map<uid_t, Clock::time_point> last_;
};

}  // namespace netwarden
