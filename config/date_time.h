// RFC 3339 date-times with a UTC offset, as written in [[maintenance]]
// windows and on the netwardenctl command line.
//
// Pure functions, safe from any thread.
#pragma once

#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

// "2026-12-01T22:00:00+08:00", "2026-12-01T14:00:00Z", with optional
// fractional seconds (kept to the millisecond) and 't', ' ' or 'z' accepted
// as RFC 3339 allows. The offset is required: a time without one would
// depend on the zone of whoever reads it. Dates that do not exist
// (2026-02-29) and second 60 are rejected. The error message quotes the text
// and says what is wrong with it.
Result<Time> parse_date_time(std::string_view text);

}  // namespace netwarden
