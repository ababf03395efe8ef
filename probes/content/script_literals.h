// What an inline script writes into its page, where it sends the visitor,
// and whether it hides what it does: read from the script's text without
// running it. A literal is all that can be known without running code, and
// it is what planted scripts use: document.write('<a href=...>'),
// location.href = "http://...", eval(unescape('%u...')).
//
// Hand-written and linear: each marker is found with a plain search and its
// argument read forward from there, so a regular expression or a string the
// reader misreads costs one marker, not the rest of the script. At most
// kMaxBytes of a script are read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netwarden::content_detail {

struct ScriptRedirect {
  std::string how;  // "location.href", "location", "location.replace", "location.assign", "window.open"
  std::string url;  // the literal, escapes decoded
};

struct ScriptReading {
  // For each document.write/writeln, innerHTML/outerHTML assignment and
  // insertAdjacentHTML call with string literals in its argument, in the
  // order they appear: those literals joined, escapes decoded, and
  // percent-escapes too when the argument calls unescape or
  // decodeURI(Component). A write or redirect inside a written string is
  // not read here: it belongs to the HTML written, read when that is.
  std::vector<std::string> written;
  std::vector<ScriptRedirect> redirects;
  // Why the script counts as heavily obfuscated, "" when it does not:
  // eval( with unescape( / String.fromCharCode / atob( in the same script;
  // a run of kHexRun "\xNN" escapes or kPercentURun "%uNNNN" escapes; a
  // String.fromCharCode call of kCharCodes numbers or more; kBase64Run
  // characters of the base64 alphabet in a row (upper and lower case and
  // digits mixed; a data: URI's "base64," payload excepted).
  std::string obfuscation;
};

inline constexpr std::size_t kHexRun = 32;
inline constexpr std::size_t kPercentURun = 16;
inline constexpr std::size_t kCharCodes = 24;
inline constexpr std::size_t kBase64Run = 400;

ScriptReading read_script(std::string_view source);

}  // namespace netwarden::content_detail
