// The client side of the control protocol: one request, one response, over
// a short-lived blocking Unix socket connection.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden {

struct ControlCall {
  std::string socket_path;
  std::string command;
  boost::json::object args;
  std::chrono::milliseconds timeout{10000};  // for connecting, sending and waiting for the reply
};

// Returns the daemon's whole response object ({"ok":..., ...}). Fails when
// the daemon cannot be reached, does not answer within the timeout, or
// answers with something that is not a response object; the message names
// the socket and the reason.
Result<boost::json::object> call_daemon(const ControlCall& call);

}  // namespace netwarden
