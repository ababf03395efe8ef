#include "daemon/store/write_health.h"

#include <spdlog/spdlog.h>

namespace netwarden {

void WriteHealth::record(const char* what, const Result<void>& written, Time now) {
  if (written) {
    if (!failing_) return;
    spdlog::warn("store: writes work again after failing since {}; what could not be written is being recorded now",
                 format_utc(failing_->since));
    failing_.reset();
    if (listener_) listener_(failing_);
    return;
  }
  ++failed_writes_;
  const bool started = !failing_;
  if (started) failing_ = WriteFailure{now, "", ""};
  failing_->error = written.error().message;
  failing_->what = what;
  if (!started) return;
  spdlog::critical("store: cannot record {}: {}; nothing is believed until it is written, and it is retried", what,
                   written.error().message);
  if (listener_) listener_(failing_);
}

}  // namespace netwarden
