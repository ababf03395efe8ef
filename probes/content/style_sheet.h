// The rules of a page's <style> elements that can hide an element, and
// which of them apply to an element given its open ancestors.
//
// Selectors understood: a tag (or *), #id and .class, compounded ("div.x#y")
// and combined by descendant or child (both read as "descendant": a
// superset, cheap to test); a selector list is split at commas. Selectors
// with anything else (attributes, pseudo-elements, + and ~) are left out.
// A selector with a state pseudo-class (:hover, :focus, :focus-within,
// :active, :checked, :target) hides nothing, since the state is the
// visitor's; but when the state is on an ancestor (".nav li:hover ul") and
// the rule shows what is hidden by default (display other than none,
// visibility visible, an offset or height put back), the elements it
// matches, the state ignored, are marked CssHiding::revealed: a drop-down
// menu of links to other sites is not a hidden link. (A box that is not
// there cannot be hovered, so ".x:hover { display:block }" reveals nothing.)
// @media and @supports blocks are read as if always true; other @-rules
// are skipped. Bounded: at most kMaxRules rules are kept and kMaxBytes of
// each sheet read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "probes/content/css_declarations.h"

namespace netwarden::content_detail {

// What selectors see of an element.
struct ElementNames {
  std::string_view tag;         // lower case
  std::string_view id;          // as written
  std::string_view class_list;  // the class attribute as written
};

class StyleSheet {
 public:
  static constexpr std::size_t kMaxRules = 2000;
  static constexpr std::size_t kMaxBytes = std::size_t{256} * 1024;
  static constexpr std::size_t kMaxCompounds = 8;

  // Adds the rules of one sheet; the strings of its content: declarations
  // go to `contents` when not null.
  void add(std::string_view css, std::vector<std::string>* contents);

  bool empty() const { return rules_.empty(); }

  // What the matching rules declare, cascaded by specificity and then
  // order. `ancestors` are the element's open ancestors, outermost first.
  CssHiding match(const ElementNames& element, std::span<const ElementNames> ancestors) const;

 private:
  struct Compound {
    std::string tag;  // "" for any
    std::string id;
    std::vector<std::string> classes;
  };
  struct Rule {
    std::vector<Compound> compounds;  // outermost first; the last is the subject
    std::uint32_t specificity = 0;
    CssHiding hiding;
    bool reveals = false;  // a state rule that shows its elements
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::vector<std::uint32_t>, Hash, std::equal_to<>>;

  void add_rule(std::string_view selectors, const CssHiding& hiding);
  // Reads one selector into `rule`; false when it is not one we use.
  static bool parse_selector(std::string_view selector, Rule& rule);
  static bool matches(const Rule& rule, const ElementNames& element, std::span<const ElementNames> ancestors);

  std::vector<Rule> rules_;
  Index by_id_, by_class_, by_tag_;  // by the subject's most specific part; by_tag_[""]: any element
};

}  // namespace netwarden::content_detail
