// Reading a page the way ContentAnalyzer does for the detector tests: the
// real scanner reporting into a PageInspector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/content/html_scanner.h"
#include "probes/content/page_inspector.h"

namespace netwarden::content_detail {

// Every page of the tests is on this host.
inline constexpr std::string_view kTestHost = "www.example.edu.cn";

inline PageInspection inspect_page(std::string_view html, const std::vector<std::string>& allowed_hosts) {
  PageInspector inspector(kTestHost, allowed_hosts);
  scan_html(html, kTestHost, &inspector);
  return std::move(inspector).result();
}

// Findings as "what | why", for tables of expected ones.
inline std::vector<std::string> listed(const std::vector<PageFinding>& findings) {
  std::vector<std::string> out;
  for (const PageFinding& f : findings) out.push_back(f.what + " | " + f.why);
  return out;
}

}  // namespace netwarden::content_detail
