#include "probes/content/css_declarations.h"
#include "common/ascii.h"

#include <algorithm>
#include <cmath>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  c = ascii_lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Where the quoted string starting at s[i] ends (past its closing quote).
std::size_t skip_string(std::string_view s, std::size_t i) {
  const char quote = s[i++];
  while (i < s.size() && s[i] != quote) i += s[i] == '\\' ? 2 : 1;
  return std::min(i + 1, s.size());
}

// Blocks without comments are read in place; the rest is copied once.
std::string_view without_comments(std::string_view block, std::string& scratch) {
  if (block.find("/*") == std::string_view::npos) return block;
  scratch.clear();
  for (std::size_t i = 0; i < block.size();) {
    if (block[i] == '"' || block[i] == '\'') {
      const std::size_t end = skip_string(block, i);
      scratch.append(block.substr(i, end - i));
      i = end;
    } else if (block.substr(i, 2) == "/*") {
      const std::size_t end = block.find("*/", i + 2);
      i = end == std::string_view::npos ? block.size() : end + 2;
      scratch += ' ';
    } else {
      scratch += block[i++];
    }
  }
  return scratch;
}

float length_px(std::string_view v) {
  std::size_t i = 0;
  const bool negative = i < v.size() && v[i] == '-';
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
  double number = 0;
  bool digits = false;
  for (; i < v.size() && is_digit(v[i]); ++i, digits = true) number = number * 10 + (v[i] - '0');
  if (i < v.size() && v[i] == '.') {
    double scale = 0.1;
    for (++i; i < v.size() && is_digit(v[i]); ++i, scale /= 10, digits = true) number += (v[i] - '0') * scale;
  }
  if (!digits || number > 1e7) return std::numeric_limits<float>::quiet_NaN();
  if (negative) number = -number;
  const std::string_view unit = v.substr(i);
  if (number == 0) return 0;
  struct Unit {
    std::string_view name;
    double px;
  };
  static constexpr Unit kUnits[] = {{"", 1},    {"px", 1},  {"em", 16},        {"rem", 16},       {"pt", 4.0 / 3},
                                    {"pc", 16}, {"in", 96}, {"cm", 96 / 2.54}, {"mm", 9.6 / 2.54}};
  for (const Unit& u : kUnits) {
    if (iequals_lower(unit, u.name)) return static_cast<float>(number * u.px);
  }
  return std::numeric_limits<float>::quiet_NaN();
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return iequals_lower(value, w); });
}

// The strings of a content: value, CSS escapes ("\8d4c ") decoded.
void append_content_strings(std::string_view value, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '"' && value[i] != '\'') continue;
    const std::size_t end = skip_string(value, i);
    const bool closed = end - i > 1 && value[end - 1] == value[i];
    const std::string_view raw = value.substr(i + 1, (closed ? end - 1 : end) - (i + 1));
    std::string text;
    for (std::size_t k = 0; k < raw.size();) {
      if (raw[k] != '\\' || k + 1 >= raw.size()) {
        text += raw[k++];
        continue;
      }
      ++k;
      char32_t code = 0;
      std::size_t n = 0;
      for (; n < 6 && k < raw.size() && hex_value(raw[k]) >= 0; ++n, ++k) code = code * 16 + hex_value(raw[k]);
      if (n == 0) {
        if (raw[k] != '\n') text += raw[k];
        ++k;
        continue;
      }
      if (k < raw.size() && is_html_space(raw[k])) ++k;
      append_utf8(text, code);
    }
    if (!trim_html_space(text).empty()) out.push_back(std::move(text));
    i = end - 1;
  }
}

void read_one(std::string_view declaration, CssHiding& out, std::vector<std::string>* contents) {
  const std::size_t colon = declaration.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trim_html_space(declaration.substr(0, colon));
  std::string_view value = trim_html_space(declaration.substr(colon + 1));
  CssValue v;
  v.set = true;
  if (const std::size_t bang = value.rfind('!'); bang != std::string_view::npos) {
    if (iequals_lower(trim_html_space(value.substr(bang + 1)), "important")) {
      v.important = true;
      value = trim_html_space(value.substr(0, bang));
    }
  }
  const std::string_view first_word = value.substr(0, std::min(value.size(), value.find_first_of(" \t\n\r\f")));
  using P = CssProperty;
  const auto length = [&](P p) {
    v.px = length_px(first_word);
    out.set(p, v);
  };
  if (iequals_lower(name, "display")) {
    v.keyword = iequals_lower(first_word, "none");
    out.set(P::display, v);
  } else if (iequals_lower(name, "visibility")) {
    v.keyword = is_one_of(first_word, {"hidden", "collapse"});
    out.set(P::visibility, v);
  } else if (iequals_lower(name, "position")) {
    v.keyword = is_one_of(first_word, {"absolute", "fixed", "relative"});
    out.set(P::position, v);
  } else if (iequals_lower(name, "overflow") || iequals_lower(name, "overflow-x") ||
             iequals_lower(name, "overflow-y")) {
    v.keyword = is_one_of(first_word, {"hidden", "clip"});
    out.set(P::overflow, v);
  } else if (iequals_lower(name, "left")) {
    length(P::left);
  } else if (iequals_lower(name, "top")) {
    length(P::top);
  } else if (iequals_lower(name, "text-indent")) {
    length(P::text_indent);
  } else if (iequals_lower(name, "width")) {
    length(P::width);
  } else if (iequals_lower(name, "height")) {
    length(P::height);
  } else if (iequals_lower(name, "font-size")) {
    // em and % scale the parent's size: zero stays zero (NaN: inherited).
    const bool relative = (first_word.ends_with("em") && !first_word.ends_with("rem")) || first_word.ends_with('%');
    v.px = length_px(first_word);
    if (relative && v.px != 0) v.px = std::nanf("");
    out.set(P::font_size, v);
  } else if (contents && iequals_lower(name, "content")) {
    append_content_strings(value, *contents);
  }
}

}  // namespace

bool CssHiding::any() const {
  return std::any_of(values.begin(), values.end(), [](const CssValue& v) { return v.set; });
}

void CssHiding::set(CssProperty p, const CssValue& v) {
  CssValue& slot = values[static_cast<std::size_t>(p)];
  if (!slot.important || v.important) slot = v;
}

void CssHiding::cascade(const CssHiding& later) {
  revealed = revealed || later.revealed;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (later.values[i].set) set(static_cast<CssProperty>(i), later.values[i]);
  }
}

void read_declarations(std::string_view block, CssHiding& out, std::vector<std::string>* contents) {
  std::string scratch;
  block = without_comments(block, scratch);
  std::size_t start = 0;
  int depth = 0;  // parentheses: "url(a;b)"
  for (std::size_t i = 0; i <= block.size(); ++i) {
    if (i == block.size() || (block[i] == ';' && depth == 0)) {
      read_one(block.substr(start, i - start), out, contents);
      start = i + 1;
    } else if (block[i] == '"' || block[i] == '\'') {
      i = skip_string(block, i) - 1;
    } else if (block[i] == '(') {
      ++depth;
    } else if (block[i] == ')' && depth > 0) {
      --depth;
    }
  }
}

}  // namespace netwarden::content_detail
