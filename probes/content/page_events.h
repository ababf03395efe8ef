// What the scanner (html_scanner.h) reports as it reads a page, for the
// detectors that need more than its text: each element's tag and
// attributes, the visible text between them, and the content of inline
// scripts and style sheets, in document order. One tokenizer serves every
// detector, so none can be fooled by markup the others read differently.
#pragma once

#include <span>
#include <string_view>

namespace netwarden::content_detail {

struct TagAttribute {
  std::string_view name;   // lower-case
  std::string_view value;  // character references decoded
};

class PageEvents {
 public:
  virtual ~PageEvents() = default;
  // A start tag, name lower-case. `self_closing`: written "<x/>" or a void
  // element (img, br, meta ...), so no end tag will follow.
  virtual void start_tag(std::string_view name, std::span<const TagAttribute> attributes, bool self_closing) = 0;
  // An end tag as written (the scanner builds no tree: it does not imply
  // the end tags HTML's tree builder would).
  virtual void end_tag(std::string_view name) = 0;
  // Character data a browser renders, references decoded (raw, not
  // normalised).
  virtual void text(std::string_view decoded) = 0;
  // The content of an inline <script> (without an old "<!-- ... -->"
  // wrapper) and of a <style> element.
  virtual void script(std::string_view source) = 0;
  virtual void style(std::string_view css) = 0;
};

}  // namespace netwarden::content_detail
