#include "daemon/notifier/outbox/retry_policy.h"

#include <algorithm>

namespace netwarden {

Duration retry_delay(int attempts, Duration max) {
  constexpr Duration kFirst = std::chrono::seconds(30);
  Duration delay = kFirst;
  // Doubling stops at the cap, so it cannot overflow however many attempts.
  for (int i = 1; i < attempts && delay < max; ++i) delay *= 2;
  return std::clamp(delay, Duration::zero(), std::max(max, Duration::zero()));
}

}  // namespace netwarden
