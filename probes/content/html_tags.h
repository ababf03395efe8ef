// What HTML elements mean for the text a reader sees and for the page's
// structure. Names are lower case.
#pragma once

#include <string_view>

namespace netwarden::content_detail {

// The elements the scanner treats specially; everything else is `other`.
enum class Element { other, a, area, base, frame, iframe, link, meta, script, style, textarea, title };

struct ElementInfo {
  Element element = Element::other;
  // Breaks the line of text, so words either side do not run together.
  // Inline and unknown elements join their neighbours: "赌<b>博</b>" reads
  // as one word.
  bool block = false;
};

// Called for every tag of every page, so it is a hash lookup, not a search.
ElementInfo element_info(std::string_view name);

inline bool is_block_element(std::string_view name) { return element_info(name).block; }

// Elements whose content is never shown as page text.
inline bool is_hidden_content_element(std::string_view name) {
  const Element e = element_info(name).element;
  return e == Element::script || e == Element::style;
}

}  // namespace netwarden::content_detail
