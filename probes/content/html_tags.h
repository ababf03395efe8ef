// What HTML elements mean for the text a reader sees and for the page's
// structure. Names are lower case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace netwarden::content_detail {

// The elements the scanner treats specially; everything else is `other`.
enum class Element : std::uint8_t {
  other,
  a,
  area,
  base,
  frame,
  iframe,
  link,
  math,
  meta,
  noembed,
  noframes,
  noscript,
  plaintext,
  script,
  style,
  svg,
  template_,
  textarea,
  title,
  xmp,
};

// ElementInfo::flags.
enum : std::uint8_t {
  // Breaks the line of text, so words either side do not run together.
  // Inline and unknown elements join their neighbours: "赌<b>博</b>" reads
  // as one word.
  kBlock = 1,
  // A void element (img, br, meta ...): never has content or an end tag.
  kVoid = 2,
  // A start tag that ends SVG/MathML content (HTML's "breakout" list).
  kLeavesForeign = 4,
};

// Known element names are numbered 0 to kKnownElements - 1.
inline constexpr std::size_t kKnownElements = 128;

struct ElementInfo {
  Element element = Element::other;
  std::uint8_t flags = 0;
  std::uint8_t id = kKnownElements - 1;  // the name's number; an unknown name's is the last

  bool block() const { return (flags & kBlock) != 0; }
  bool is_void() const { return (flags & kVoid) != 0; }
  bool leaves_foreign() const { return (flags & kLeavesForeign) != 0; }
};

// Called for every tag of every page, so it is a hash lookup, not a search.
// Inline elements other than a come out as `other` with no flags, even
// where they are void or end SVG content: see inline_element_flags().
ElementInfo element_info(std::string_view name);

// kVoid and kLeavesForeign of the inline elements that have them (img,
// input, span, b ...); 0 for any other name. For the rare callers that
// need them: inside SVG or MathML, or reporting PageEvents.
std::uint8_t inline_element_flags(std::string_view name);

inline bool is_block_element(std::string_view name) { return element_info(name).block(); }

// Elements whose content a browser with scripting on never shows as page
// text (html_scanner.h says why noscript is one of them).
inline bool is_hidden_content_element(std::string_view name) {
  switch (element_info(name).element) {
    case Element::iframe:
    case Element::noembed:
    case Element::noframes:
    case Element::noscript:
    case Element::script:
    case Element::style:
    case Element::template_: return true;
    default: return false;
  }
}

}  // namespace netwarden::content_detail
