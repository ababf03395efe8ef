// Why one attempt to hand a message on failed: an e-mail to a relay, or a
// request to a chat robot, SMS provider or webhook.
#pragma once

#include <string>

namespace netwarden {

struct SendFailure {
  std::string message;     // what went wrong, naming the relay or endpoint; never a password or token
  bool permanent = false;  // a 5xx reply, a provider's refusal or the like: retrying will not help
};

}  // namespace netwarden
