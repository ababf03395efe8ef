// At most `limit` sends per sliding `window` to one endpoint: the chat
// providers refuse a robot more than 20 messages a minute. Pure; the
// caller passes the time.
#pragma once

#include <deque>

#include "common/time.h"

namespace netwarden {

class Pace {
 public:
  Pace(int limit, Duration window) : limit_(limit), window_(window) {}

  // Whether one more send at `now` stays within the limit.
  bool allows(Time now);
  // Counts a send at `now`.
  void count(Time now);
  // When allows() holds again: `now` if it holds now.
  Time frees_at(Time now);

 private:
  void forget_before(Time now);

  int limit_;
  Duration window_;
  std::deque<Time> sent_;  // within the last window, oldest first
};

}  // namespace netwarden
