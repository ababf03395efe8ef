// Fuzz target: one control socket request line through the protocol checks
// (JSON, shape, "command", "args"). The handler stands in for the daemon's
// command table: it reads every argument and answers with them, so the
// parsed request is walked in full.
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "daemon/control/control_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The error log of a throwing handler would flood the fuzzer's output.
  static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
  (void)quiet;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  int answers = 0;
  const netwarden::ControlHandler handler = [](const netwarden::ControlRequest& request,
                                               netwarden::ControlRespond respond) {
    if (request.command == "throw") throw std::runtime_error("handler failed");
    boost::json::object reply;
    reply["command"] = request.command;
    reply["args"] = boost::json::serialize(*request.args);
    respond(std::move(reply));
  };
  const netwarden::ControlRespond respond = [&answers](boost::json::object reply) {
    ++answers;
    (void)boost::json::serialize(reply);
  };
  netwarden::answer_request(line, netwarden::PeerCredentials{1, 1000, 1000}, handler, respond);
  if (answers != 1) __builtin_trap();  // every request gets exactly one answer
  return 0;
}
