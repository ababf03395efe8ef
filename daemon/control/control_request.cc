#include "daemon/control/control_request.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <exception>

#include "daemon/control/control_reply.h"
#include "daemon/control/duplicate_keys.h"

namespace netwarden {

void answer_request(std::string_view line, const PeerCredentials& peer, const ControlHandler& handler,
                    const ControlRespond& respond) {
  boost::system::error_code ec;
  boost::json::value request = boost::json::parse(line, ec);
  if (ec) return respond(reply_error("malformed JSON request: " + ec.message()));
  if (!request.is_object()) return respond(reply_error("a request must be a JSON object"));
  if (auto repeated = first_duplicate_key(line)) {
    return respond(reply_error("a request must not repeat a key: " + *repeated));
  }
  const auto& fields = request.get_object();
  const auto* command = fields.if_contains("command");
  if (command == nullptr || !command->is_string()) {
    return respond(reply_error("a request needs a string \"command\""));
  }
  const boost::json::object no_args;
  const boost::json::object* args = &no_args;
  if (const auto* given = fields.if_contains("args")) {
    if (!given->is_object()) return respond(reply_error("\"args\" must be a JSON object"));
    args = &given->get_object();
  }

  ControlRequest call{std::string(command->get_string()), args, peer};
  // A failing command must cost one error reply, never the daemon.
  try {
    handler(call, respond);
  } catch (const std::exception& e) {
    spdlog::error("control command '{}' from uid {} failed: {}", call.command, peer.uid, e.what());
    respond(reply_error("internal error in '" + call.command + "': " + e.what()));
  } catch (...) {
    spdlog::error("control command '{}' from uid {} failed with a non-standard exception", call.command, peer.uid);
    respond(reply_error("internal error in '" + call.command + "'"));
  }
}

}  // namespace netwarden
