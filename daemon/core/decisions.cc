#include "daemon/core/decisions.h"

namespace netwarden {

std::string NotifyReason::text() const {
  switch (what) {
    case What::step: return "step " + std::to_string(step);
    case What::repeat: return "repeat of step " + std::to_string(step);
    case What::threshold_warning: return format_duration(left) + " left";
    case What::threshold: return "threshold";
    case What::harmful_content: return "harmful content";
    case What::resolved: return "resolved";
  }
  return "";
}

std::string Notification::reasons_text() const {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : ", ") + r.text();
  return out;
}

}  // namespace netwarden
