#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

std::string declared_by(const boost::json::object& w) {
  const std::string who = field_text(w, "declared_by");
  return who.empty() ? "config" : who;
}

}  // namespace

Result<std::string> maintenance_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  if (o == nullptr) return fail("the daemon's maintenance result is not an object");
  if (const auto* declared = o->if_contains("declared"); declared != nullptr && declared->is_object()) {
    const auto& w = declared->get_object();
    return "maintenance of " + field_text(w, "target") + " declared by " + declared_by(w) + ": " +
           local_time_text(w, "from") + " to " + local_time_text(w, "to") + "\n";
  }
  const auto* list = o->if_contains("windows");
  if (list == nullptr || !list->is_array()) return fail("the daemon's maintenance result has no \"windows\" list");
  if (list->get_array().empty()) return std::string("no maintenance windows\n");
  Table table({"TARGET", "FROM", "TO", "DECLARED BY", "REASON"});
  for (const auto& item : list->get_array()) {
    if (!item.is_object()) continue;
    const auto& w = item.get_object();
    table.add_row({field_text(w, "target"), local_time_text(w, "from"), local_time_text(w, "to"), declared_by(w),
                   field_text(w, "reason")});
  }
  return table.render();
}

}  // namespace netwarden
