// Approving a target's current content (`netwardenctl approve TARGET`):
// the page the monitor last analysed becomes the baseline later fetches
// are compared with.
#pragma once

#include <string>

#include "common/result.h"
#include "common/time.h"
#include "daemon/core/web_check.h"

namespace netwarden {

class Store;

// Stores `approved` as the target's baseline, set by `by`. The monitor
// keeps only fingerprints in memory; the evidence texts come from the
// store, which holds them for the old baseline and for every distinct
// changed page it has seen.
Result<void> store_approved_baseline(Store& store, const std::string& target, const BaselineFingerprints& approved,
                                     Time at, const std::string& by);

}  // namespace netwarden
