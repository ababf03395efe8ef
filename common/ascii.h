// ASCII-only character helpers for the parsers of web content (HTML, CSS,
// HTTP headers, charset labels), whose keywords are ASCII and compared
// without regard to case. Locale-free, unlike <cctype>.
#pragma once

#include <algorithm>
#include <string_view>

namespace netwarden {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// HTML's and CSS's whitespace: space, tab, LF, CR, FF.
inline bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Whether `a` equals `lower` (already lower-case) ignoring ASCII case.
inline bool iequals_lower(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) { return ascii_lower(x) == y; });
}

inline std::string_view trim_html_space(std::string_view s) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace netwarden
