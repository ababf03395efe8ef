// [incidents] and [incidents.severity]: when incidents open and close, how
// they are graded, and the warnings before the outage threshold.
#include <algorithm>

#include "config/sections.h"

namespace netwarden::config_detail {
namespace {

struct KindSeverity {
  std::string_view kind;
  SeverityLevel SeverityDefaults::*level;
};

constexpr KindSeverity kKinds[] = {
    {"site_down", &SeverityDefaults::site_down},
    {"content_changed", &SeverityDefaults::content_changed},
    {"tls_problem", &SeverityDefaults::tls_problem},
    {"harmful_content", &SeverityDefaults::harmful_content},
    {"isolation_breach", &SeverityDefaults::isolation_breach},
    {"monitor_degraded", &SeverityDefaults::monitor_degraded},
    {"hidden_link", &SeverityDefaults::hidden_link},
    {"malicious_code", &SeverityDefaults::malicious_code},
    {"cloaking", &SeverityDefaults::cloaking},
    {"privacy_leak", &SeverityDefaults::privacy_leak},
};

void read_severity(const toml::table* table, LoadContext& ctx, SeverityDefaults& out) {
  if (!table) return;
  TableReader r(*table, "[incidents.severity]", ctx.diag);
  for (const KindSeverity& k : kKinds) {
    if (auto index = r.choice(k.kind, kSeverityNames)) out.*k.level = static_cast<SeverityLevel>(*index);
  }
  r.finish();
}

// The target whose threshold comes first, or null when there are none.
const WebTarget* tightest_target(const std::vector<WebTarget>& targets) {
  auto it = std::min_element(targets.begin(), targets.end(),
                             [](const WebTarget& a, const WebTarget& b) { return a.threshold < b.threshold; });
  return it == targets.end() ? nullptr : &*it;
}

// A warning at or past the threshold would be due before the incident even
// started; equal offsets would send the same warning twice.
std::vector<Duration> check_warnings(const std::vector<DurationItem>& written, const WebTarget* tightest,
                                     Diagnostics& diag) {
  std::vector<Duration> out;
  for (std::size_t i = 0; i < written.size(); ++i) {
    const DurationItem& w = written[i];
    const std::string what = "'threshold_warnings': \"" + w.written.value + "\"";
    auto same = std::find_if(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(i),
                             [&](const DurationItem& earlier) { return earlier.value == w.value; });
    if (tightest && w.value >= tightest->threshold) {
      diag.error(w.written.at, what + " must be shorter than the shortest threshold (" +
                                   describe_duration(tightest->threshold) + ", target '" + tightest->id + "')");
    } else if (same != written.begin() + static_cast<std::ptrdiff_t>(i)) {
      diag.error(w.written.at, what + " is the same as \"" + same->written.value + "\"");
    } else {
      out.push_back(w.value);
    }
  }
  std::sort(out.begin(), out.end(), std::greater<>());
  return out;
}

}  // namespace

void read_incidents(const toml::table* section, LoadContext& ctx, const std::vector<WebTarget>& targets,
                    IncidentSettings& out) {
  const WebTarget* tightest = tightest_target(targets);
  bool warnings_written = false;
  if (section) {
    TableReader r(*section, "[incidents]", ctx.diag);
    if (auto v = r.integer("confirm_failures", 1, 10)) out.confirm_failures = static_cast<int>(*v);
    if (auto v = r.duration("recovery_window")) out.recovery_window = *v;
    if (auto v = r.integer("cert_warning_days", 0, 365)) out.cert_warning_days = static_cast<int>(*v);
    warnings_written = r.find("threshold_warnings") != nullptr;
    if (auto v = r.durations("threshold_warnings")) out.threshold_warnings = check_warnings(*v, tightest, ctx.diag);
    read_severity(r.table("severity"), ctx, out.severity);
    r.finish();
  }
  // The built-in warning is a convenience, not a demand: it gives way to a
  // tighter threshold instead of making a config that never mentioned it
  // invalid.
  if (!warnings_written && tightest) {
    std::erase_if(out.threshold_warnings, [&](Duration w) { return w >= tightest->threshold; });
  }
}

}  // namespace netwarden::config_detail
