#include "daemon/core/incident.h"

#include <algorithm>
#include <iterator>

namespace netwarden {

namespace {

constexpr std::string_view kKindNames[] = {"site_down",        "content_changed",  "harmful_content", "tls_problem",
                                           "isolation_breach", "monitor_degraded", "hidden_link",     "malicious_code",
                                           "cloaking",         "privacy_leak"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::string_view (&names)[N], std::string_view name) {
  auto it = std::find(std::begin(names), std::end(names), name);
  if (it == std::end(names)) return std::nullopt;
  return static_cast<Enum>(it - std::begin(names));
}

}  // namespace

std::string_view to_string(IncidentKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<IncidentKind> parse_incident_kind(std::string_view name) {
  return parse_name<IncidentKind>(kKindNames, name);
}

std::string_view to_string(Severity severity) { return kSeverityNames[static_cast<int>(severity)]; }

std::optional<Severity> parse_severity(std::string_view name) { return parse_name<Severity>(kSeverityNames, name); }

Severity raised(Severity severity, int grades) {
  return static_cast<Severity>(std::min(static_cast<int>(severity) + grades, static_cast<int>(Severity::critical)));
}

}  // namespace netwarden
