// Turning one request line into one response object: the protocol checks
// the server owns (JSON, shape, "command", "args") around the handler call.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "daemon/control/control_server.h"

namespace netwarden {

// Never throws: malformed requests and handler exceptions become error
// responses, given to `respond` (a handler that threw after answering keeps
// its answer: respond ignores later calls).
void answer_request(std::string_view line, const PeerCredentials& peer, const ControlHandler& handler,
                    const ControlRespond& respond);

}  // namespace netwarden
