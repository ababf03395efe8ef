#include "probes/content/element_visibility.h"

#include <cmath>

namespace netwarden::content_detail {
namespace {

using P = CssProperty;

constexpr float kOffScreen = -1000;
constexpr float kIndentOffScreen = -999;
constexpr float kClipped = 1;

bool at_most(float px, float limit) { return !std::isnan(px) && px <= limit; }

std::string px_text(float px) { return std::to_string(static_cast<long>(std::lround(px))) + "px"; }

std::string on(std::string what, const ElementFacts& e) {
  return what + " on " + describe_element(e.tag, e.id, e.class_list);
}

// Why the element's own box hides what it contains, "" if it does not.
std::string own_hiding(const ElementFacts& e) {
  const CssHiding& s = e.style;
  if (s[P::display].keyword) return on("display:none", e);
  if (e.hidden_attribute) return on("hidden attribute", e);
  if (s[P::position].keyword) {
    for (P p : {P::left, P::top}) {
      if (at_most(s[p].px, kOffScreen)) return on((p == P::left ? "left:" : "top:") + px_text(s[p].px), e);
    }
  }
  if (s[P::overflow].keyword) {
    for (P p : {P::width, P::height}) {
      if (at_most(s[p].px, kClipped)) {
        return on((p == P::width ? "width:" : "height:") + px_text(s[p].px) + " with overflow:hidden", e);
      }
    }
  }
  if (e.tag == "a" || e.tag == "area") {
    for (P p : {P::width, P::height}) {
      if (at_most(s[p].px, kClipped)) return on((p == P::width ? "width:" : "height:") + px_text(s[p].px), e);
    }
  }
  if (e.tag == "marquee") {
    const float width = s[P::width].set ? s[P::width].px : e.width;
    const float height = s[P::height].set ? s[P::height].px : e.height;
    if (at_most(width, kTinyMarquee)) return on("width " + px_text(width), e);
    if (at_most(height, kTinyMarquee)) return on("height " + px_text(height), e);
    if (const float step = e.scrollamount; !std::isnan(step) && step >= kFastMarquee) {
      return on("scrollamount=" + std::to_string(static_cast<long>(step)), e);
    }
  }
  return {};
}

}  // namespace

const std::string& Visibility::reason() const {
  return !hidden.empty() ? hidden : !visibility.empty() ? visibility : !font.empty() ? font : indent;
}

std::string describe_element(std::string_view tag, std::string_view id, std::string_view class_list) {
  constexpr std::size_t kMaxShown = 40;
  std::string out = "<" + std::string(tag);
  if (!id.empty()) {
    out += " id=\"" + std::string(id.substr(0, kMaxShown)) + "\"";
  } else if (!class_list.empty()) {
    out += " class=\"" + std::string(class_list.substr(0, kMaxShown)) + "\"";
  }
  return out + ">";
}

float attribute_px(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.front() == '\n')) {
    value.remove_prefix(1);
  }
  float number = 0;
  std::size_t i = 0;
  for (; i < value.size() && value[i] >= '0' && value[i] <= '9' && number < 1e7F; ++i)
    number = number * 10 + static_cast<float>(value[i] - '0');
  if (i == 0) return std::nanf("");
  const std::string_view rest = value.substr(i);
  return rest.find('%') == std::string_view::npos ? number : std::nanf("");
}

Visibility visibility_of(const Visibility& parent, const ElementFacts& e) {
  Visibility v = parent;
  const CssHiding& s = e.style;
  if (s.revealed) v.visibility.clear();
  if (s[P::visibility].set && !s.revealed) {
    v.visibility = s[P::visibility].keyword ? on("visibility:hidden", e) : std::string();
  }
  if (const CssValue& font = s[P::font_size]; font.set && !std::isnan(font.px)) {
    v.font = font.px <= kClipped ? on("font-size:" + px_text(font.px), e) : std::string();
  }
  if (const CssValue& indent = s[P::text_indent]; indent.set && !std::isnan(indent.px)) {
    v.indent = indent.px <= kIndentOffScreen ? on("text-indent:" + px_text(indent.px), e) : std::string();
  }
  if (v.hidden.empty() && !s.revealed) v.hidden = own_hiding(e);
  return v;
}

}  // namespace netwarden::content_detail
