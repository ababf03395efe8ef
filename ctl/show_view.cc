#include "common/time.h"
#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

// "key=value, ..." of an event's details, the target left out (the header
// names it).
std::string details_text(const boost::json::object& event) {
  const auto* details = event.if_contains("details");
  if (details == nullptr || !details->is_object()) return field_text(event, "details");
  std::string out;
  for (const auto& [key, value] : details->get_object()) {
    if (key == "target") continue;
    out += (out.empty() ? "" : ", ") + std::string(key) + "=" + field_text(details->get_object(), key);
  }
  return out;
}

}  // namespace

Result<std::string> show_text(const boost::json::value& result) {
  const auto* o = result.if_object();
  const auto* incident = o != nullptr ? o->if_contains("incident") : nullptr;
  const auto* timeline = o != nullptr ? o->if_contains("timeline") : nullptr;
  if (incident == nullptr || !incident->is_object() || timeline == nullptr || !timeline->is_array()) {
    return fail("the daemon's show result has no \"incident\" and \"timeline\"");
  }
  const auto& i = incident->get_object();
  std::string out = "incident " + field_text(i, "id") + ": " + field_text(i, "kind") + " of " + subject_text(i) + ", " +
                    field_text(i, "severity") + ", " + field_text(i, "state") + "\nstarted " +
                    local_time_text(i, "started_at") + ", lasting " +
                    format_duration(std::chrono::seconds(int_field(i, "duration_s"))) + "\n";
  if (const std::string detail = field_text(i, "detail"); detail != "-") out += detail + "\n";
  if (const std::string evidence = field_text(i, "evidence"); evidence != "-" && !evidence.empty()) {
    out += "evidence: " + evidence + "\n";
  }
  Table table({"TIME", "EVENT", "BY", "DETAILS"});
  for (const auto& e : timeline->get_array()) {
    if (!e.is_object()) continue;
    const auto& event = e.get_object();
    table.add_row(
        {local_time_text(event, "at"), field_text(event, "type"), field_text(event, "actor"), details_text(event)});
  }
  out += table.render();
  const auto* mail = o->if_contains("mail");
  if (mail != nullptr && mail->is_array() && !mail->get_array().empty()) {
    Table mails({"CHANNEL", "TO", "WHY", "STATE", "ATTEMPTS", "QUEUED", "SENT", "LAST ERROR"});
    for (const auto& m : mail->get_array()) {
      if (!m.is_object()) continue;
      const auto& row = m.get_object();
      const std::string channel = field_text(row, "channel");
      // An e-mail's address says where it went; a robot's row names it.
      const std::string to = channel == "email" ? field_text(row, "person") + " <" + field_text(row, "address") + ">"
                                                : field_text(row, "person");
      mails.add_row({channel, to, field_text(row, "reasons"), field_text(row, "state"), field_text(row, "attempts"),
                     local_time_text(row, "queued_at"), local_time_text(row, "sent_at"),
                     field_text(row, "last_error")});
    }
    out += "\n" + mails.render();
  }
  return out;
}

}  // namespace netwarden
