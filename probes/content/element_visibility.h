// Whether a visitor can see an element, worked out from its declared style
// and attributes and what it inherits from its parent: the core of the
// hidden-link check.
//
// What hides (thresholds): display:none; visibility:hidden|collapse;
// position:absolute|fixed|relative with left or top <= -1000px;
// text-indent <= -999px; width or height <= 1px with overflow:hidden
// (content clipped to nothing); font-size <= 1px; the `hidden` attribute;
// a <marquee> at most kTinyMarquee pixels wide or high, or scrolling by
// kFastMarquee pixels a step or more; and for a link itself, a width or
// height of <= 1px. None of these count for an element a :hover (or
// similar) rule shows (CssHiding::revealed): a drop-down menu.
#pragma once

#include <limits>
#include <string>
#include <string_view>

#include "probes/content/css_declarations.h"

namespace netwarden::content_detail {

inline constexpr float kTinyMarquee = 4;
inline constexpr float kFastMarquee = 500;

// Why an element and what it contains cannot be seen, "" for each reason
// that does not apply. Inherited down the open elements.
struct Visibility {
  std::string hidden;      // nothing inside can show again (display:none, off-screen, clipped, ...)
  std::string visibility;  // visibility:hidden: a descendant's visibility:visible shows again
  std::string font;        // font-size:0: a descendant's font-size in px shows again
  std::string indent;      // text pushed off-screen: a descendant's text-indent shows again

  // The first reason that applies, "" when the element can be seen.
  const std::string& reason() const;
};

// What the visibility check reads of one element.
struct ElementFacts {
  std::string_view tag{};  // lower case
  std::string_view id{};
  std::string_view class_list{};
  CssHiding style{};  // style sheets and style attribute, cascaded
  bool hidden_attribute = false;
  // The width, height and scrollamount attributes (attribute_px()).
  float width = std::numeric_limits<float>::quiet_NaN();
  float height = std::numeric_limits<float>::quiet_NaN();
  float scrollamount = std::numeric_limits<float>::quiet_NaN();
};

Visibility visibility_of(const Visibility& parent, const ElementFacts& element);

// A short description of an element for evidence: <div id="x">,
// <p class="a b">, <span>.
std::string describe_element(std::string_view tag, std::string_view id, std::string_view class_list);

// A width/height attribute in pixels ("0", "1px", " 2 "), NaN when it is
// not a plain number (a percentage, empty).
float attribute_px(std::string_view value);

}  // namespace netwarden::content_detail
