// errno as text, in one place: strerror(3) may share one buffer between
// threads, strerror_r(3) does not.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "common/result.h"

namespace netwarden {

// "No such file or directory" for ENOENT.
inline std::string errno_text(int err = errno) {
  char buffer[256];
  return ::strerror_r(err, buffer, sizeof buffer);  // the GNU form returns the text
}

// `return fail_errno("cannot open " + path);` → "cannot open PATH: No such file or directory"
inline std::unexpected<Error> fail_errno(const std::string& what, int err = errno) {
  return fail(what + ": " + errno_text(err));
}

}  // namespace netwarden
