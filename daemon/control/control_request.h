// Turning one request line into one response object: the protocol checks
// the server owns (JSON, shape, "command", "args") around the handler call.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "daemon/control/control_server.h"

namespace netwarden {

// Never throws: malformed requests and handler exceptions become error
// responses.
boost::json::object answer_request(std::string_view line, const PeerCredentials& peer,
                                   const ControlHandler& handler);

}  // namespace netwarden
