// How long the outbox waits before trying a message again.
#pragma once

#include "common/time.h"

namespace netwarden {

// The wait after `attempts` failed attempts: 30s, 1m, 2m, 4m, ... doubling,
// never more than `max` (nor less than nothing).
Duration retry_delay(int attempts, Duration max);

}  // namespace netwarden
