// `netwardenctl test-notify`: what each channel's far end answered.
#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

Result<std::string> test_notify_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  const auto* answers = o != nullptr ? o->if_contains("answers") : nullptr;
  if (answers == nullptr || !answers->is_array()) return fail("the daemon's answer lists no channels");
  Table table({"CHANNEL", "RESULT", "ANSWER"});
  int failed = 0;
  for (const auto& a : answers->get_array()) {
    if (!a.is_object()) continue;
    const auto& answer = a.get_object();
    const bool ok = field_text(answer, "ok") == "yes";
    if (!ok) ++failed;
    table.add_row({field_text(answer, "channel"), ok ? "delivered" : "FAILED", field_text(answer, "answer")});
  }
  const std::string text = "test messages to " + field_text(*o, "to") + ":\n" + table.render();
  // The table is the message: the exit code says a channel failed.
  if (failed > 0) return fail(text + std::to_string(failed) + " channel(s) failed");
  return text;
}

}  // namespace netwarden
