#include <boost/json/array.hpp>

#include "ctl/field_text.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

const boost::json::array& array_or_empty(const boost::json::object& o, std::string_view key) {
  static const boost::json::array empty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : empty;
}

std::string segment_line(const boost::json::object& s) {
  std::string line = "  seq " + field_text(s, "first_seq") + "-" + field_text(s, "last_seq") + ": ";
  const std::string key_id = field_text(s, "key_id");
  line += key_id.empty() ? "unkeyed (SHA-256)" : "keyed, key " + key_id;
  if (field_text(s, "checked") != "yes") line += ", NOT CHECKED (not the key given: only seq and links)";
  line += field_text(s, "whole") == "yes" ? ", whole" : ", BROKEN";
  return line + "\n";
}

}  // namespace

Result<std::string> verify_text(const boost::json::value& result) {
  const auto* check = result.if_object();
  const auto* intact = check != nullptr ? check->if_contains("intact") : nullptr;
  if (intact == nullptr || !intact->is_bool()) return fail("the daemon's verify result has no \"intact\"");
  std::string out = "segments:\n";
  for (const auto& s : array_or_empty(*check, "segments")) {
    if (s.is_object()) out += segment_line(s.get_object());
  }
  for (const auto& item : array_or_empty(*check, "breaks")) {
    if (!item.is_object()) continue;
    const auto& b = item.get_object();
    out += "BREAK " + field_text(b, "message");
    out += int_field(b, "recorded_at") > 0
               ? " (found and recorded at start-up; a new segment began at seq " + field_text(b, "recorded_at") + ")\n"
               : " (not yet recorded: the current segment is broken)\n";
  }
  const auto* anchors = check->if_contains("anchors");
  if (anchors != nullptr && anchors->is_object()) {
    const auto& a = anchors->get_object();
    const auto& disagreeing = array_or_empty(a, "breaks");
    if (int_field(a, "checked") > 0) {
      out += "anchors: " + field_text(a, "checked") + " checked, " + std::to_string(disagreeing.size()) + " disagree\n";
    }
    for (const auto& item : disagreeing) {
      if (item.is_object()) {
        out += "ANCHOR " + field_text(item.get_object(), "source") + ": " + field_text(item.get_object(), "message") +
               "\n";
      }
    }
  }
  const std::string summary = std::to_string(int_field(*check, "entries")) + " entries verify, last seq " +
                              field_text(*check, "last_seq") + ", hash " + field_text(*check, "last_hash");
  if (!intact->get_bool()) return fail("the ledger is broken:\n" + out + summary);
  const std::string keyed = field_text(*check, "keyed") == "yes" ? "" : " (checked without a key)";
  return out + "ledger intact: " + summary + keyed + "\n";
}

}  // namespace netwarden
