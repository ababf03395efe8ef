#include "daemon/notifier/outbox/pace.h"

namespace netwarden {

void Pace::forget_before(Time now) {
  while (!sent_.empty() && sent_.front() + window_ <= now) sent_.pop_front();
}

bool Pace::allows(Time now) {
  forget_before(now);
  return static_cast<int>(sent_.size()) < limit_;
}

void Pace::count(Time now) { sent_.push_back(now); }

Time Pace::frees_at(Time now) {
  if (allows(now)) return now;
  // The send that must leave the window for one more to fit.
  return sent_[sent_.size() - static_cast<std::size_t>(limit_)] + window_;
}

}  // namespace netwarden
