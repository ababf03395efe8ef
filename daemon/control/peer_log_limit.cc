#include "daemon/control/peer_log_limit.h"

#include <unordered_map>

namespace netwarden {

namespace {

// Past this many remembered uids, the ones whose interval is over are
// forgotten, so many distinct uids cannot grow the map without bound.
constexpr std::size_t kPruneAbove = 1024;

}  // namespace

bool PeerLogLimit::allow(uid_t uid, Clock::time_point now) {
  if (last_.size() > kPruneAbove)
    std::erase_if(last_, [&](const auto& entry) { return now - entry.second >= interval_; });
  auto [at, inserted] = last_.try_emplace(uid, now);
  if (inserted) return true;
  if (now - at->second < interval_) return false;
  at->second = now;
  return true;
}

}  // namespace netwarden
