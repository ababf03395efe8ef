#include "probes/content/script_literals.h"

#include <algorithm>
#include <initializer_list>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

constexpr std::size_t kMaxBytes = std::size_t{256} * 1024;
constexpr std::size_t kMaxExpression = std::size_t{64} * 1024;  // bytes of one argument read
constexpr std::size_t kMaxItems = 256;                          // written strings and redirects per script

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of `digits` hex digits at s[i], or -1.
long hex_at(std::string_view s, std::size_t i, std::size_t digits) {
  if (i + digits > s.size()) return -1;
  long value = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    const int h = hex(s[i + k]);
    if (h < 0) return -1;
    value = value * 16 + h;
  }
  return value;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// Appends the code point of a \u escape at s[i] (past the "\u") and returns
// where it ends; a surrogate pair written as two escapes becomes one.
std::size_t read_unicode_escape(std::string_view s, std::size_t i, std::string& out) {
  if (i < s.size() && s[i] == '{') {
    const std::size_t close = s.find('}', i);
    long code = 0;
    if (close == std::string_view::npos || close - i > 7 || close == i + 1) return i;
    for (std::size_t k = i + 1; k < close; ++k) code = hex(s[k]) < 0 ? 0x110000 : code * 16 + hex(s[k]);
    append_utf8(out, static_cast<char32_t>(std::min(code, 0x110000L)));
    return close + 1;
  }
  const long code = hex_at(s, i, 4);
  if (code < 0) return i;
  if (code >= 0xD800 && code <= 0xDBFF && s.substr(i + 4, 2) == "\\u") {
    const long low = hex_at(s, i + 6, 4);
    if (low >= 0xDC00 && low <= 0xDFFF) {
      append_utf8(out, static_cast<char32_t>(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)));
      return i + 10;
    }
  }
  append_utf8(out, static_cast<char32_t>(code));
  return i + 4;
}

struct Literal {
  std::string text;  // decoded
  std::size_t end;   // past the closing quote
  bool closed;       // false: the script ends or the line breaks first, a misread rather than a string
};

// The JavaScript string literal starting at the quote s[i]. A template
// literal's ${...} parts are left out.
Literal read_literal(std::string_view s, std::size_t i) {
  Literal literal{{}, 0, false};
  std::string& out = literal.text;
  const char quote = s[i++];
  while (i < s.size() && s[i] != quote) {
    char c = s[i++];
    if (c == '\n' && quote != '`') {
      literal.end = i;
      return literal;
    }
    if (quote == '`' && c == '$' && i < s.size() && s[i] == '{') {
      const std::size_t close = s.find('}', i);
      i = close == std::string_view::npos ? s.size() : close + 1;
      continue;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i >= s.size()) break;
    c = s[i++];
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '0': out += '\0'; break;
      case '\r':
        if (i < s.size() && s[i] == '\n') ++i;
        break;
      case '\n': break;
      case 'x':
        if (const long code = hex_at(s, i, 2); code >= 0) {
          append_utf8(out, static_cast<char32_t>(code));
          i += 2;
        } else {
          out += 'x';
        }
        break;
      case 'u':
        if (const std::size_t end = read_unicode_escape(s, i, out); end != i) {
          i = end;
        } else {
          out += 'u';
        }
        break;
      default: out += c;
    }
  }
  literal.closed = i < s.size();
  literal.end = std::min(i + 1, s.size());
  return literal;
}

// unescape()'s decoding: %XX and %uXXXX.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '%' && i + 1 < s.size() && (s[i + 1] == 'u' || s[i + 1] == 'U') && hex_at(s, i + 2, 4) >= 0) {
      append_utf8(out, static_cast<char32_t>(hex_at(s, i + 2, 4)));
      i += 6;
    } else if (s[i] == '%' && hex_at(s, i + 1, 2) >= 0) {
      out += static_cast<char>(hex_at(s, i + 1, 2));
      i += 3;
    } else {
      out += s[i++];
    }
  }
  return out;
}

bool is_word_at(std::string_view s, std::size_t i, std::string_view word) {
  return s.substr(i, word.size()) == word && (i == 0 || !is_ident(s[i - 1])) &&
         (i + word.size() >= s.size() || !is_ident(s[i + word.size()]));
}

struct Argument {
  std::string literals;
  std::size_t end;  // where the argument ends in the script
};

// The string literals of the argument starting at s[i] (just past "(" or
// "="), joined: up to the ')' closing a call, or for an assignment the ';',
// ',' or closing bracket that ends it. The first `skip_arguments`
// arguments of a call are passed over.
Argument argument_literals(std::string_view s, std::size_t i, bool call, int skip_arguments) {
  std::string literals;
  bool percent = false;
  int depth = 0;
  const std::size_t end = std::min(s.size(), i + kMaxExpression);
  while (i < end) {
    const char c = s[i];
    if (is_quote(c)) {
      const Literal literal = read_literal(s, i);
      if (skip_arguments == 0 && literal.closed) literals += literal.text;
      i = literal.end;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '*')) {
      const std::size_t close = s[i + 1] == '/' ? s.find('\n', i) : s.find("*/", i + 2);
      i = close == std::string_view::npos ? end : close + 1;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth-- == 0) break;
    } else if (depth == 0 && c == ',') {
      if (!call) break;
      if (skip_arguments > 0) --skip_arguments;
    } else if (depth == 0 && c == ';') {
      break;
    } else if ((c == 'u' || c == 'd') && (is_word_at(s, i, "unescape") || is_word_at(s, i, "decodeURI") ||
                                          is_word_at(s, i, "decodeURIComponent"))) {
      percent = true;
    }
    ++i;
  }
  return {percent ? percent_decoded(literals) : std::move(literals), std::min(i, end)};
}

// Where written arguments lie in the script: a marker inside one is text
// the script writes (read again when that HTML is scanned), not a call.
using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

bool inside(const Spans& spans, std::size_t at) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const auto& span) { return at >= span.first && at < span.second; });
}

Spans find_written(std::string_view s, ScriptReading& out) {
  struct Marker {
    std::string_view text;
    bool call;
    int skip_arguments;
  };
  static constexpr Marker kMarkers[] = {{"document.writeln", true, 0},
                                        {"document.write", true, 0},
                                        {".innerHTML", false, 0},
                                        {".outerHTML", false, 0},
                                        {".insertAdjacentHTML", true, 1}};
  std::vector<std::pair<std::size_t, const Marker*>> markers;  // in the order the script writes
  for (const Marker& m : kMarkers) {
    for (std::size_t at = s.find(m.text); at != std::string_view::npos; at = s.find(m.text, at + 1)) {
      markers.emplace_back(at, &m);
    }
  }
  std::sort(markers.begin(), markers.end());
  Spans spans;
  for (const auto& [at, m] : markers) {
    if (spans.size() >= kMaxItems) break;
    if (!spans.empty() && at < spans.back().second) continue;
    std::size_t i = at + m->text.size();
    if (i < s.size() && is_ident(s[i])) continue;  // document.writeln seen as document.write
    i = skip_spaces(s, i);
    if (m->call) {
      if (i >= s.size() || s[i] != '(') continue;
      ++i;
    } else {
      if (i < s.size() && s[i] == '+') ++i;
      if (i >= s.size() || s[i] != '=' || (i + 1 < s.size() && s[i + 1] == '=')) continue;
      ++i;
    }
    Argument argument = argument_literals(s, i, m->call, m->skip_arguments);
    spans.emplace_back(at, argument.end);
    if (!argument.literals.empty()) out.written.push_back(std::move(argument.literals));
  }
  return spans;
}

void add_redirect(std::string_view s, std::size_t i, std::string_view how, ScriptReading& out) {
  i = skip_spaces(s, i);
  if (i >= s.size() || !is_quote(s[i]) || out.redirects.size() >= kMaxItems) return;
  Literal url = read_literal(s, i);
  if (url.closed && !url.text.empty()) out.redirects.push_back({std::string(how), std::move(url.text)});
}

void find_redirects(std::string_view s, const Spans& written, ScriptReading& out) {
  for (std::size_t at = s.find("location"); at != std::string_view::npos; at = s.find("location", at + 1)) {
    if ((at > 0 && is_ident(s[at - 1])) || inside(written, at)) continue;
    std::size_t i = at + 8;
    std::string_view how = "location";
    for (std::string_view member : {".href", ".replace", ".assign"}) {
      if (s.substr(i, member.size()) == member && (i + member.size() >= s.size() || !is_ident(s[i + member.size()]))) {
        how = s.substr(at, 8 + member.size());
        i += member.size();
        break;
      }
    }
    if (i < s.size() && is_ident(s[i])) continue;
    i = skip_spaces(s, i);
    const bool call = how.ends_with("replace") || how.ends_with("assign");
    if (i >= s.size() || s[i] != (call ? '(' : '=') || (!call && i + 1 < s.size() && s[i + 1] == '=')) continue;
    add_redirect(s, i + 1, how, out);
  }
  for (std::size_t at = s.find("window.open"); at != std::string_view::npos; at = s.find("window.open", at + 1)) {
    if (inside(written, at)) continue;
    const std::size_t i = skip_spaces(s, at + 11);
    if (i < s.size() && s[i] == '(') add_redirect(s, i + 1, "window.open", out);
  }
}

// The longest run of `unit`-byte escapes that `is_escape` accepts.
template <typename F>
std::size_t longest_escape_run(std::string_view s, std::size_t unit, F&& is_escape) {
  std::size_t best = 0, run = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (is_escape(i)) {
      best = std::max(best, ++run);
      i += unit;
    } else {
      run = 0;
      ++i;
    }
  }
  return best;
}

bool has_base64_run(std::string_view s) {
  std::size_t run = 0;
  unsigned classes = 0;  // 1 upper, 2 lower, 4 digit
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const char c = i < s.size() ? s[i] : ' ';
    const unsigned cls = c >= 'A' && c <= 'Z' ? 1 : c >= 'a' && c <= 'z' ? 2 : c >= '0' && c <= '9' ? 4 : 0;
    if (cls != 0 || c == '+' || c == '/' || c == '=') {
      ++run;
      classes |= cls;
      continue;
    }
    if (run >= kBase64Run && classes == 7) {
      const std::size_t start = i - run;
      if (start < 7 || s.substr(start - 7, 7) != "base64,") return true;
    }
    run = 0;
    classes = 0;
  }
  return false;
}

std::size_t char_code_count(std::string_view s) {
  std::size_t best = 0;
  for (std::size_t at = s.find("fromCharCode"); at != std::string_view::npos; at = s.find("fromCharCode", at + 1)) {
    std::size_t i = skip_spaces(s, at + 12);
    if (i >= s.size() || s[i] != '(') continue;
    std::size_t numbers = 0;
    for (++i; i < s.size();) {
      i = skip_spaces(s, i);
      const std::size_t digits_start = i;
      while (i < s.size() && (is_ident(s[i]))) ++i;  // 60, 0x3c
      if (i == digits_start || !(s[digits_start] >= '0' && s[digits_start] <= '9')) break;
      ++numbers;
      i = skip_spaces(s, i);
      if (i >= s.size() || s[i] != ',') break;
      ++i;
    }
    best = std::max(best, numbers);
  }
  return best;
}

bool calls(std::string_view s, std::string_view function) {
  for (std::size_t at = s.find(function); at != std::string_view::npos; at = s.find(function, at + 1)) {
    if (at > 0 && is_ident(s[at - 1])) continue;
    const std::size_t i = skip_spaces(s, at + function.size());
    if (i < s.size() && s[i] == '(') return true;
  }
  return false;
}

std::string obfuscation(std::string_view s) {
  if (calls(s, "eval")) {
    for (std::string_view decoder : {"unescape", "String.fromCharCode", "atob"}) {
      if (calls(s, decoder)) return "eval( with " + std::string(decoder) + "(";
    }
  }
  const std::size_t hex_run = longest_escape_run(s, 4, [&](std::size_t i) {
    return s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'x' && hex_at(s, i + 2, 2) >= 0;
  });
  if (hex_run >= kHexRun) return std::to_string(hex_run) + " \\x escapes in a row";
  const std::size_t u_run = longest_escape_run(s, 6, [&](std::size_t i) {
    return s[i] == '%' && i + 1 < s.size() && (s[i + 1] == 'u' || s[i + 1] == 'U') && hex_at(s, i + 2, 4) >= 0;
  });
  if (u_run >= kPercentURun) return std::to_string(u_run) + " %u escapes in a row";
  if (const std::size_t codes = char_code_count(s); codes >= kCharCodes) {
    return "String.fromCharCode of " + std::to_string(codes) + " codes";
  }
  if (has_base64_run(s)) return "a base64 run of " + std::to_string(kBase64Run) + "+ characters";
  return {};
}

}  // namespace

ScriptReading read_script(std::string_view source) {
  source = source.substr(0, std::min(source.size(), kMaxBytes));
  ScriptReading reading;
  const Spans written = find_written(source, reading);
  find_redirects(source, written, reading);
  reading.obfuscation = obfuscation(source);
  return reading;
}

}  // namespace netwarden::content_detail
