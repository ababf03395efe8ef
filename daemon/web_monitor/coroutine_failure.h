// What a detached coroutine of the io thread does when it ends with an
// exception, which is a bug: say which coroutine and let the daemon go on.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace netwarden {

inline auto log_exception(std::string what) {
  return [what = std::move(what)](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("{} stopped: {}", what, ex.what());
    }
  };
}

}  // namespace netwarden
