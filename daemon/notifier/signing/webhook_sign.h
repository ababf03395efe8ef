// netwarden's own signature for generic webhooks (no provider defines it).
//
// Each webhook request carries the header
//   Netwarden-Signature: t=<TIMESTAMP>,v1=<HEX>
// where TIMESTAMP is the sending time in whole seconds since the Unix epoch
// (decimal) and HEX is the lowercase hex HMAC-SHA256, keyed with the
// webhook's shared secret, of the bytes TIMESTAMP + "." + body, the body
// exactly as sent. To verify, a receiver takes t and v1 from the header,
// recomputes the HMAC over t + "." + the raw body it received, compares in
// constant time, and refuses a t too far from its own clock (five minutes
// is a reasonable bound) so that a captured request cannot be replayed
// later. Signing the timestamp with the body is what makes that refusal
// possible: t cannot be changed without breaking v1. "v1" names this
// scheme so that a later one can be sent beside it during a change.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace netwarden {

// The Netwarden-Signature header's value.
Result<std::string> webhook_signature(std::string_view secret, std::string_view body, Time now);

}  // namespace netwarden
