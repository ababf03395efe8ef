#include "ctl/field_text.h"
#include "ctl/views.h"

namespace netwarden {

Result<std::string> change_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  if (o != nullptr && o->contains("approved_by")) {
    return "the current content of " + field_text(*o, "target") + " approved by " + field_text(*o, "approved_by") +
           "; later checks compare with it\n";
  }
  if (o == nullptr || !o->contains("incident")) return fail("the daemon's answer names no incident");
  const std::string id = field_text(*o, "incident");
  if (o->contains("resolved_by")) return "incident " + id + " resolved by " + field_text(*o, "resolved_by") + "\n";
  return "incident " + id + " acknowledged by " + field_text(*o, "acknowledged_by") + "\n";
}

}  // namespace netwarden
