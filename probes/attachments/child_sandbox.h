// What netwarden-extract does to itself before it reads a byte of the
// file: resource limits, then a seccomp filter. A parser that loops, eats
// memory, crashes or is taken over by a hostile file can then only end the
// child: it cannot open a connection, start a program, write or remove a
// file, or signal another process.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/result.h"

namespace netwarden {

struct ChildLimits {
  std::chrono::seconds cpu{10};
  std::uint64_t memory = std::uint64_t{512} << 20;  // address space
};

// RLIMIT_CPU (SIGXCPU at `cpu`, SIGKILL a second later), RLIMIT_AS
// (allocations beyond `memory` fail: std::bad_alloc), RLIMIT_FSIZE 0 (no
// file can grow), RLIMIT_NOFILE 16, RLIMIT_CORE 0; then the seccomp
// filter. Irreversible; an error when a limit or the filter is refused.
Result<void> enter_sandbox(const ChildLimits& limits);

}  // namespace netwarden
