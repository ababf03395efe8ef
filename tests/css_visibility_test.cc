// The CSS side of the hidden-link check: declaration blocks, style-sheet
// rules and the visibility an element ends up with.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "probes/content/css_declarations.h"
#include "probes/content/element_visibility.h"
#include "probes/content/style_sheet.h"

namespace netwarden::content_detail {
namespace {

using P = CssProperty;

CssHiding declared(std::string_view block) {
  CssHiding h;
  read_declarations(block, h, nullptr);
  return h;
}

TEST(CssDeclarationsTest, KeywordsAndLengths) {
  EXPECT_TRUE(declared("display:none")[P::display].keyword);
  EXPECT_TRUE(declared(" DISPLAY : None ; color:red")[P::display].keyword);
  EXPECT_FALSE(declared("display:block")[P::display].keyword);
  EXPECT_TRUE(declared("display:block")[P::display].set);
  EXPECT_TRUE(declared("visibility:collapse")[P::visibility].keyword);
  EXPECT_TRUE(declared("position:fixed")[P::position].keyword);
  EXPECT_FALSE(declared("position:static")[P::position].keyword);
  EXPECT_TRUE(declared("overflow-y:hidden")[P::overflow].keyword);
  EXPECT_FLOAT_EQ(declared("left:-9999px")[P::left].px, -9999);
  EXPECT_FLOAT_EQ(declared("top:-100em")[P::top].px, -1600);
  EXPECT_FLOAT_EQ(declared("text-indent:-.5in")[P::text_indent].px, -48);
  EXPECT_FLOAT_EQ(declared("height:0")[P::height].px, 0);
  EXPECT_FLOAT_EQ(declared("font-size:0%")[P::font_size].px, 0);
  EXPECT_TRUE(std::isnan(declared("width:50%")[P::width].px));
  EXPECT_TRUE(std::isnan(declared("width:auto")[P::width].px));
  EXPECT_FALSE(declared("color:red;background:url(a;b)").any());
  EXPECT_TRUE(declared("display:/* x */none")[P::display].keyword);
  EXPECT_FALSE(declared("content:'display:none'")[P::display].set);
}

TEST(CssDeclarationsTest, LastWinsUnlessImportant) {
  EXPECT_FALSE(declared("display:none;display:block")[P::display].keyword);
  EXPECT_TRUE(declared("display:none !important;display:block")[P::display].keyword);
  EXPECT_FALSE(declared("display:none !important;display:block ! important")[P::display].keyword);
  CssHiding sheet = declared("display:none!important");
  sheet.cascade(declared("display:block"));
  EXPECT_TRUE(sheet[P::display].keyword);
  CssHiding plain = declared("display:none");
  plain.cascade(declared("display:block"));
  EXPECT_FALSE(plain[P::display].keyword);
}

TEST(CssDeclarationsTest, ContentStringsDecoded) {
  CssHiding h;
  std::vector<std::string> contents;
  read_declarations(R"(content:"\8d4c\535a" ; color:red; content: 'a' attr(x) "b")", h, &contents);
  EXPECT_EQ(contents, (std::vector<std::string>{"赌博", "a", "b"}));
}

// The reason an element with only `style` is hidden, "" if it is not.
std::string of_facts(const CssHiding& style) { return visibility_of({}, {.tag = "ul", .style = style}).reason(); }

ElementNames element(std::string_view tag, std::string_view id = "", std::string_view classes = "") {
  return {tag, id, classes};
}

TEST(StyleSheetTest, SelectorsByIdClassTagAndDescendant) {
  StyleSheet sheet;
  sheet.add(R"(
    @charset "utf-8";
    /* the page's own */ body { color: #333 }
    #ad { display: none }
    .f, .g { visibility: hidden }
    span.h { font-size: 0 }
    @media screen and (min-width: 1px) { .m { display: none } }
    @font-face { font-family: x; src: url(x.woff) }
    @keyframes k { from { left: -9999px } to { left: 0 } }
    .menu a { display: none }
    div > p em { position: absolute; left: -5000px }
    a:hover { display: none }
    [title] { display: none }
  )",
            nullptr);
  const std::vector<ElementNames> none;
  EXPECT_TRUE(sheet.match(element("div", "ad"), none)[P::display].keyword);
  EXPECT_FALSE(sheet.match(element("div", "AD"), none)[P::display].set);
  EXPECT_TRUE(sheet.match(element("p", "", "x g"), none)[P::visibility].keyword);
  EXPECT_TRUE(sheet.match(element("span", "", "h"), none)[P::font_size].set);
  EXPECT_FALSE(sheet.match(element("div", "", "h"), none)[P::font_size].set);
  EXPECT_TRUE(sheet.match(element("li", "", "m"), none)[P::display].keyword);
  EXPECT_FALSE(sheet.match(element("a"), none)[P::display].set);    // :hover, [title] left out
  EXPECT_FALSE(sheet.match(element("p", "k"), none)[P::left].set);  // keyframes skipped
  const std::vector<ElementNames> in_menu = {element("ul", "", "nav menu"), element("li")};
  EXPECT_TRUE(sheet.match(element("a"), in_menu)[P::display].keyword);
  const std::vector<ElementNames> in_p = {element("div"), element("section"), element("p")};
  EXPECT_FLOAT_EQ(sheet.match(element("em"), in_p)[P::left].px, -5000);
  const std::vector<ElementNames> p_outside = {element("p"), element("div")};
  EXPECT_FALSE(sheet.match(element("em"), p_outside)[P::left].set);
}

TEST(StyleSheetTest, StateRulesRevealMenus) {
  StyleSheet sheet;
  sheet.add(
      ".m ul{display:none} .m:hover ul{display:block} .n:focus-within .s{visibility:visible}"
      " .h:hover{display:block} .q:hover .r{display:none} .t:nth-child(2) .u{display:block}",
      nullptr);
  const std::vector<ElementNames> in_m = {element("div", "", "m")};
  const CssHiding menu = sheet.match(element("ul"), in_m);
  EXPECT_TRUE(menu[P::display].keyword);
  EXPECT_TRUE(menu.revealed);
  const std::vector<ElementNames> in_n = {element("form", "", "n")};
  EXPECT_TRUE(sheet.match(element("p", "", "s"), in_n).revealed);  // the state ignored
  EXPECT_FALSE(sheet.match(element("p", "", "s"), {}).revealed);
  EXPECT_FALSE(sheet.match(element("p", "", "h"), {}).revealed);  // on itself: cannot be hovered
  EXPECT_FALSE(sheet.match(element("p", "", "r"), {}).any());     // hides only on hover
  EXPECT_FALSE(sheet.match(element("p", "", "u"), {}).revealed);  // not a state
  EXPECT_EQ(of_facts(menu), "");
}

TEST(StyleSheetTest, SpecificityThenOrder) {
  StyleSheet sheet;
  sheet.add("#x { display:none } div { display:block } .c { display:block } .d { display:none }", nullptr);
  EXPECT_TRUE(sheet.match(element("div", "x", "c"), {})[P::display].keyword);   // the id wins
  EXPECT_TRUE(sheet.match(element("div", "", "c d"), {})[P::display].keyword);  // the later class wins
  StyleSheet important;
  important.add(".a { display:none !important } #b { display:block }", nullptr);
  EXPECT_TRUE(important.match(element("p", "b", "a"), {})[P::display].keyword);
}

TEST(StyleSheetTest, BoundedOnHostileSheets) {
  StyleSheet sheet;
  std::string many;
  for (int i = 0; i < 5000; ++i) many += ".c" + std::to_string(i) + "{display:none}";
  sheet.add(many, nullptr);
  EXPECT_TRUE(sheet.match(element("p", "", "c0"), {})[P::display].keyword);
  EXPECT_FALSE(sheet.match(element("p", "", "c4999"), {})[P::display].set);  // past kMaxRules
  StyleSheet broken;
  broken.add("}}}{{{ a { display:none ", nullptr);
  broken.add("@media { @media { ", nullptr);
  broken.add(std::string(100000, '{'), nullptr);
  broken.add("a b c d e f g h i j k l { display:none }", nullptr);
  EXPECT_TRUE(broken.empty() || !broken.match(element("a"), {})[P::display].keyword);
}

Visibility of(const Visibility& parent, std::string_view tag, std::string_view style, std::string_view width = "",
              std::string_view height = "", std::string_view scrollamount = "") {
  ElementFacts e{.tag = tag,
                 .style = declared(style),
                 .width = attribute_px(width),
                 .height = attribute_px(height),
                 .scrollamount = attribute_px(scrollamount)};
  return visibility_of(parent, e);
}

TEST(ElementVisibilityTest, EachTechniqueOnBothSidesOfItsThreshold) {
  struct Case {
    const char* tag;
    const char* style;
    const char* reason;  // "" visible
  };
  const Case cases[] = {
      {"div", "display:none", "display:none on <div>"},
      {"div", "display:block", ""},
      {"div", "visibility:hidden", "visibility:hidden on <div>"},
      {"div", "position:absolute;left:-1000px", "left:-1000px on <div>"},
      {"div", "position:absolute;left:-999px", ""},
      {"div", "position:fixed;top:-3000px", "top:-3000px on <div>"},
      {"div", "left:-9999px", ""},  // static: left does nothing
      {"p", "text-indent:-999px", "text-indent:-999px on <p>"},
      {"p", "text-indent:-998px", ""},
      {"div", "height:0;overflow:hidden", "height:0px with overflow:hidden on <div>"},
      {"div", "width:1px;overflow:hidden", "width:1px with overflow:hidden on <div>"},
      {"div", "width:2px;height:2px;overflow:hidden", ""},
      {"div", "height:0", ""},  // content overflows and shows
      {"a", "width:1px", "width:1px on <a>"},
      {"a", "height:0", "height:0px on <a>"},
      {"a", "width:2px", ""},
      {"span", "font-size:0", "font-size:0px on <span>"},
      {"span", "font-size:1px", "font-size:1px on <span>"},
      {"span", "font-size:2px", ""},
      {"marquee", "height:1px", "height 1px on <marquee>"},
      {"marquee", "height:5px", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(of({}, c.tag, c.style).reason(), c.reason) << c.tag << " " << c.style;
  }
  EXPECT_EQ(of({}, "marquee", "", "1", "20").reason(), "width 1px on <marquee>");
  EXPECT_EQ(of({}, "marquee", "", "100", "20").reason(), "");
  EXPECT_EQ(of({}, "marquee", "", "", "", "500").reason(), "scrollamount=500 on <marquee>");
  EXPECT_EQ(of({}, "marquee", "", "", "", "499").reason(), "");
  ElementFacts hidden{.tag = "div", .id = "x", .hidden_attribute = true};
  EXPECT_EQ(visibility_of({}, hidden).reason(), "hidden attribute on <div id=\"x\">");
}

TEST(ElementVisibilityTest, SizeAttributes) {
  EXPECT_FLOAT_EQ(attribute_px("0"), 0);
  EXPECT_FLOAT_EQ(attribute_px(" 1px"), 1);
  EXPECT_FLOAT_EQ(attribute_px("640"), 640);
  EXPECT_TRUE(std::isnan(attribute_px("100%")));
  EXPECT_TRUE(std::isnan(attribute_px("")));
  EXPECT_TRUE(std::isnan(attribute_px("auto")));
}

TEST(ElementVisibilityTest, InheritedAndUndone) {
  const Visibility none = of({}, "div", "display:none");
  EXPECT_EQ(of(none, "a", "display:block;visibility:visible").reason(), "display:none on <div>");
  const Visibility hidden = of({}, "div", "visibility:hidden");
  EXPECT_EQ(of(hidden, "a", "").reason(), "visibility:hidden on <div>");
  EXPECT_EQ(of(hidden, "a", "visibility:visible").reason(), "");
  // The inline-block gap trick: font-size:0 on a list, a size on its items.
  const Visibility zero_font = of({}, "ul", "font-size:0");
  EXPECT_EQ(of(zero_font, "li", "font-size:14px").reason(), "");
  EXPECT_EQ(of(zero_font, "li", "font-size:1.2em").reason(), "font-size:0px on <ul>");
  const Visibility indent = of({}, "div", "text-indent:-9999px");
  EXPECT_EQ(of(indent, "a", "text-indent:0").reason(), "");
}

}  // namespace
}  // namespace netwarden::content_detail
