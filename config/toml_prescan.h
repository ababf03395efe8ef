// A pass over TOML text before toml++ (Debian's 3.3.0) parses it, refusing
// what would make the parser crash or run into undefined behaviour:
//
//  - nesting deeper than kMaxTomlNesting: toml++ recurses per level, so a
//    key of 31,000 dotted segments overflows the stack (SIGSEGV). A value's depth is the number of key segments on
//    its path (its [table] or [[array]] header's included) plus the number
//    of arrays it sits in, e.g. 4 for the 1 in `[a]` `b.c = [1]`;
//  - lines longer than kMaxTomlLineBytes;
//  - the few inputs that reach toml++ 3.3.0's broken whitespace lookup (see
//    toml_prescan.cc): a non-ASCII character outside strings and comments,
//    where TOML allows none anyway, and certain non-ASCII characters right
//    after a backslash and whitespace in a """multi-line string""".
//
// It understands strings (basic, literal, multi-line) and comments, so a dot,
// bracket or '#' inside one counts for nothing; everything else it leaves to
// toml++, which reports its own syntax errors afterwards. Linear in the
// text's size, without recursion; a pure function, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netwarden::config_detail {

inline constexpr int kMaxTomlNesting = 64;
inline constexpr std::size_t kMaxTomlLineBytes = 64 * 1024;

struct TomlTextProblem {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters as toml++ counts them
  std::string message;
};

// The first problem in the text, or nullopt when toml++ may parse it.
std::optional<TomlTextProblem> prescan_toml(std::string_view text);

}  // namespace netwarden::config_detail
