#include "ctl/field_text.h"
#include "ctl/views.h"

namespace netwarden {

Result<std::string> verify_text(const boost::json::value& result) {
  const auto* check = result.if_object();
  const auto* intact = check != nullptr ? check->if_contains("intact") : nullptr;
  if (intact == nullptr || !intact->is_bool()) return fail("the daemon's verify result has no \"intact\"");
  if (!intact->get_bool()) {
    const auto* broken = check->if_contains("broken");
    const std::string why =
        broken != nullptr && broken->is_object() ? field_text(broken->get_object(), "message") : "no reason given";
    return fail("the ledger is broken: " + why + " (" + std::to_string(int_field(*check, "entries")) +
                " entries before it verify)");
  }
  return "ledger intact: " + std::to_string(int_field(*check, "entries")) + " entries, last hash " +
         field_text(*check, "last_hash") + "\n";
}

}  // namespace netwarden
