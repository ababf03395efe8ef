#include "probes/content/style_sheet.h"
#include "common/ascii.h"

#include <algorithm>
#include <cmath>

namespace netwarden::content_detail {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Past the comment or string at css[i], or i itself when there is none.
std::size_t skip_comment_or_string(std::string_view css, std::size_t i) {
  if (css.substr(i, 2) == "/*") {
    const std::size_t end = css.find("*/", i + 2);
    return end == std::string_view::npos ? css.size() : end + 2;
  }
  if (css[i] == '"' || css[i] == '\'') {
    const char quote = css[i++];
    while (i < css.size() && css[i] != quote && css[i] != '\n') i += css[i] == '\\' ? 2 : 1;
    return std::min(i + 1, css.size());
  }
  return i;
}

// The first of `stops` at or after i outside comments and strings, or size.
std::size_t find_outside(std::string_view css, std::size_t i, std::string_view stops) {
  while (i < css.size()) {
    const std::size_t after = skip_comment_or_string(css, i);
    if (after != i) {
      i = after;
    } else if (stops.find(css[i]) != std::string_view::npos) {
      return i;
    } else {
      ++i;
    }
  }
  return css.size();
}

bool has_class(std::string_view class_list, std::string_view name) {
  for (std::size_t i = 0; i < class_list.size();) {
    while (i < class_list.size() && is_html_space(class_list[i])) ++i;
    std::size_t end = i;
    while (end < class_list.size() && !is_html_space(class_list[end])) ++end;
    if (class_list.substr(i, end - i) == name) return true;
    i = end;
  }
  return false;
}

template <typename F>
void for_each_class(std::string_view class_list, F&& f) {
  for (std::size_t i = 0; i < class_list.size();) {
    while (i < class_list.size() && is_html_space(class_list[i])) ++i;
    std::size_t end = i;
    while (end < class_list.size() && !is_html_space(class_list[end])) ++end;
    if (end > i) f(class_list.substr(i, end - i));
    i = end;
  }
}

// Pseudo-classes of a state a visitor puts an element in.
bool is_state(std::string_view pseudo) {
  for (std::string_view state : {"hover", "focus", "focus-within", "active", "checked", "target"}) {
    if (pseudo == state) return true;
  }
  return false;
}

// Whether the declarations undo a way of hiding: display other than none,
// visibility visible, an offset or a height that puts the box back.
bool shows(const CssHiding& h) {
  using P = CssProperty;
  const auto back = [&](P p, float limit) { return h[p].set && (std::isnan(h[p].px) || h[p].px > limit); };
  return (h[P::display].set && !h[P::display].keyword) || (h[P::visibility].set && !h[P::visibility].keyword) ||
         back(P::left, -1000) || back(P::top, -1000) || back(P::height, 1);
}

}  // namespace

void StyleSheet::add(std::string_view css, std::vector<std::string>* contents) {
  css = css.substr(0, std::min(css.size(), kMaxBytes));
  std::size_t i = 0;
  while (i < css.size()) {
    const std::size_t open = find_outside(css, i, "{}");
    if (open >= css.size()) return;
    if (css[open] == '}') {  // the end of an @media block read as transparent
      i = open + 1;
      continue;
    }
    const std::size_t prelude_start = css.find_first_not_of(" \t\r\n\f", i);
    std::string_view prelude = css.substr(i, open - i);
    if (prelude_start < open && css[prelude_start] == '@') {
      const std::string_view at = css.substr(prelude_start + 1);
      // "@charset ...;" or "@import ...;" before the block: skip just the statement.
      if (const std::size_t semicolon = find_outside(css, prelude_start, ";"); semicolon < open) {
        i = semicolon + 1;
        continue;
      }
      if (at.starts_with("media") || at.starts_with("supports")) {
        i = open + 1;
        continue;
      }
      // @font-face, @keyframes ...: skip the block, nested braces included.
      int depth = 0;
      for (i = open; i < css.size();) {
        i = find_outside(css, i, "{}");
        if (i >= css.size()) return;
        depth += css[i] == '{' ? 1 : -1;
        ++i;
        if (depth == 0) break;
      }
      continue;
    }
    const std::size_t close = find_outside(css, open + 1, "}");
    CssHiding hiding;
    read_declarations(css.substr(open + 1, close - open - 1), hiding, contents);
    if (hiding.any()) add_rule(prelude, hiding);
    i = close + 1;
  }
}

void StyleSheet::add_rule(std::string_view selectors, const CssHiding& hiding) {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= selectors.size() && rules_.size() < kMaxRules; ++i) {
    if (i < selectors.size() && selectors[i] != ',') continue;
    const std::string_view selector = selectors.substr(start, i - start);
    start = i + 1;
    Rule rule;
    rule.hiding = hiding;
    if (!parse_selector(selector, rule)) continue;
    const Compound& subject = rule.compounds.back();
    Index& index = !subject.id.empty() ? by_id_ : !subject.classes.empty() ? by_class_ : by_tag_;
    const std::string& key = !subject.id.empty()        ? subject.id
                             : !subject.classes.empty() ? subject.classes.front()
                                                        : subject.tag;
    index[key].push_back(static_cast<std::uint32_t>(rules_.size()));
    rules_.push_back(std::move(rule));
  }
}

bool StyleSheet::parse_selector(std::string_view selector, Rule& rule) {
  bool stateful = false;           // :hover and the like
  std::size_t state_compound = 0;  // the compound the state is on
  Compound* compound = nullptr;
  for (std::size_t k = 0; k < selector.size();) {
    const char c = selector[k];
    if (is_html_space(c) || c == '>') {
      compound = nullptr;
      ++k;
      continue;
    }
    if (!compound) {
      if (rule.compounds.size() == kMaxCompounds) break;
      compound = &rule.compounds.emplace_back();
    }
    if (c == ':' && k + 1 < selector.size() && selector[k + 1] != ':') {
      std::size_t end = k + 1;
      while (end < selector.size() && is_name_char(selector[end])) ++end;
      if (!is_state(selector.substr(k + 1, end - k - 1))) return false;
      stateful = true;
      state_compound = rule.compounds.size() - 1;
      k = end;
      continue;
    }
    if (c != '#' && c != '.' && c != '*' && !is_name_char(c)) return false;  // [attr], ::x, +, ~, |
    const std::size_t name_start = c == '#' || c == '.' || c == '*' ? k + 1 : k;
    std::size_t end = name_start;
    while (end < selector.size() && is_name_char(selector[end])) ++end;
    const std::string_view name = selector.substr(name_start, end - name_start);
    k = end;
    if (c == '*') continue;
    if (name.empty()) return false;
    if (c == '#') {
      compound->id = name;
      rule.specificity += 1'000'000;
    } else if (c == '.') {
      compound->classes.emplace_back(name);
      rule.specificity += 1'000;
    } else {
      for (char ch : name) compound->tag += ascii_lower(ch);
      rule.specificity += 1;
    }
  }
  if (rule.compounds.empty()) return false;
  // A rule for a state only counts when it shows what the default hides,
  // and the state is an ancestor's: then the hidden part is a menu a
  // visitor opens. A box that is not there cannot be hovered itself.
  if (stateful) {
    rule.reveals = state_compound + 1 < rule.compounds.size() && shows(rule.hiding);
    return rule.reveals;
  }
  return true;
}

bool StyleSheet::matches(const Rule& rule, const ElementNames& element, std::span<const ElementNames> ancestors) {
  const auto fits = [](const Compound& c, const ElementNames& e) {
    if (!c.tag.empty() && c.tag != e.tag) return false;
    if (!c.id.empty() && c.id != e.id) return false;
    return std::all_of(c.classes.begin(), c.classes.end(),
                       [&](const std::string& name) { return has_class(e.class_list, name); });
  };
  if (!fits(rule.compounds.back(), element)) return false;
  // Descendant combinators only, so matching each compound to the nearest
  // ancestor that fits, right to left, finds a match if there is one.
  std::size_t next = ancestors.size();
  for (std::size_t c = rule.compounds.size() - 1; c-- > 0;) {
    while (next > 0 && !fits(rule.compounds[c], ancestors[next - 1])) --next;
    if (next == 0) return false;
    --next;
  }
  return true;
}

CssHiding StyleSheet::match(const ElementNames& element, std::span<const ElementNames> ancestors) const {
  CssHiding result;
  if (rules_.empty()) return result;
  std::vector<std::uint32_t> candidates;
  const auto collect = [&](const Index& index, std::string_view key) {
    if (const auto it = index.find(key); it != index.end()) {
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
  };
  if (!element.id.empty()) collect(by_id_, element.id);
  for_each_class(element.class_list, [&](std::string_view name) { collect(by_class_, name); });
  collect(by_tag_, element.tag);
  collect(by_tag_, "");
  if (candidates.empty()) return result;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::erase_if(candidates, [&](std::uint32_t r) { return !matches(rules_[r], element, ancestors); });
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return rules_[a].specificity < rules_[b].specificity; });
  for (std::uint32_t r : candidates) {
    if (rules_[r].reveals) {
      result.revealed = true;
    } else {
      result.cascade(rules_[r].hiding);
    }
  }
  return result;
}

}  // namespace netwarden::content_detail
