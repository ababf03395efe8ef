#include "common/time.h"
#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

Result<std::string> incidents_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  const auto* list = o != nullptr ? o->if_contains("incidents") : nullptr;
  if (list == nullptr || !list->is_array()) return fail("the daemon's incidents result has no \"incidents\" list");
  if (list->get_array().empty()) return std::string("no incidents\n");
  Table table({"ID", "KIND", "TARGET", "SEVERITY", "STATE", "STARTED", "DURATION", "ACKNOWLEDGED", "DETAIL"});
  for (const auto& item : list->get_array()) {
    if (!item.is_object()) continue;
    const auto& i = item.get_object();
    table.add_row({field_text(i, "id"), field_text(i, "kind"), subject_text(i), field_text(i, "severity"),
                   field_text(i, "state"), local_time_text(i, "started_at"),
                   format_duration(std::chrono::seconds(int_field(i, "duration_s"))), field_text(i, "acknowledged_by"),
                   field_text(i, "detail")});
  }
  return table.render();
}

}  // namespace netwarden
