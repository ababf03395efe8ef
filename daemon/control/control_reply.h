// Helpers that build the two response shapes of the control protocol.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace netwarden {

inline boost::json::object reply_ok(boost::json::value result) {
  boost::json::object out;
  out["ok"] = true;
  out["result"] = std::move(result);
  return out;
}

inline boost::json::object reply_error(std::string_view message) {
  boost::json::object out;
  out["ok"] = false;
  out["error"] = message;
  return out;
}

}  // namespace netwarden
