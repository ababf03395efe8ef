// Making the control socket's path free to bind: a socket file left by a
// crashed daemon is removed, but a live daemon's socket or a file that is not
// a socket is never touched.
#pragma once

#include <string>

#include "common/result.h"

namespace netwarden {

// Succeeds when nothing is at `path` or a stale socket was removed. Fails
// when another process accepts connections there, when `path` is not a
// socket, or when it cannot be inspected or removed.
Result<void> clear_stale_socket(const std::string& path);

}  // namespace netwarden
