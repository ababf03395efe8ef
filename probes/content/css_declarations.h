// The CSS properties that can hide an element, read from a declaration
// block: a style attribute ("display:none; left:-9999px !important") or the
// body of a style-sheet rule. Everything else in the block is skipped, but
// the strings of `content:` are kept: words a page writes through CSS are
// words its readers see.
//
// Hand-written and linear in the block's length: no backtracking on
// hostile input.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace netwarden::content_detail {

enum class CssProperty : std::uint8_t {
  display,
  visibility,
  position,
  left,
  top,
  text_indent,
  width,
  height,
  overflow,  // overflow, overflow-x, overflow-y
  font_size,
  count
};

struct CssValue {
  bool set = false;
  bool important = false;
  // The keyword that matters: display:none, visibility:hidden|collapse,
  // position:absolute|fixed|relative, overflow:hidden|clip.
  bool keyword = false;
  // A length in CSS pixels (em and rem as 16px, pt, pc, in, cm, mm
  // converted); NaN when the value is no length we can measure (%, vw,
  // auto, calc(); for font-size also em and %, which scale the parent's
  // size), except that any zero is 0.
  float px = std::numeric_limits<float>::quiet_NaN();
};

// What one block (or a cascade of them) declares for the properties above.
struct CssHiding {
  std::array<CssValue, static_cast<std::size_t>(CssProperty::count)> values;
  // A style-sheet rule shows the element in a state such as :hover
  // (style_sheet.h): what hides its box by default does not count.
  bool revealed = false;

  const CssValue& operator[](CssProperty p) const { return values[static_cast<std::size_t>(p)]; }
  bool any() const;
  // Applies `later` over this in cascade order: each value `later` sets
  // replaces this one's, unless this one is !important and it is not.
  void cascade(const CssHiding& later);
  void set(CssProperty p, const CssValue& v);
};

// Reads the declarations of `block` into `out` in order (the last wins,
// !important first), and appends the decoded strings of each `content:`
// to `contents` when it is not null.
void read_declarations(std::string_view block, CssHiding& out, std::vector<std::string>* contents);

}  // namespace netwarden::content_detail
