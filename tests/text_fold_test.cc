#include "probes/content/text_fold.h"

#include <gtest/gtest.h>

#include <string>

#include "probes/content/traditional_chinese.h"

namespace netwarden::content_detail {
namespace {

std::string folded(std::string_view text) { return fold_text(text).text; }

TEST(TextFoldTest, AsciiIsLowerCased) {
  EXPECT_EQ(folded("Online CASINO, Poker!"), "online casino, poker!");
  EXPECT_EQ(folded(""), "");
}

TEST(TextFoldTest, FullWidthLatinBecomesAscii) {
  EXPECT_EQ(folded("ｃａｓｉｎｏ"), "casino");
  EXPECT_EQ(folded("ＣＡＳＩＮＯ１２３"), "casino123");
}

TEST(TextFoldTest, ZeroWidthCharactersAndSoftHyphensVanish) {
  EXPECT_EQ(folded("赌\u200B博"), "赌博");
  EXPECT_EQ(folded("赌\u200D博"), "赌博");
  EXPECT_EQ(folded("赌\u200C博"), "赌博");
  EXPECT_EQ(folded("ca\u2060si\uFEFFno"), "casino");
  EXPECT_EQ(folded("ca\u00ADsino"), "casino");
}

TEST(TextFoldTest, SeparatorsBetweenCjkCharactersVanish) {
  EXPECT_EQ(folded("赌 博"), "赌博");
  EXPECT_EQ(folded("赌.博"), "赌博");
  EXPECT_EQ(folded("赌_博"), "赌博");
  EXPECT_EQ(folded("赌 . _ 博"), "赌博");
  EXPECT_EQ(folded("赌\u3000博"), "赌博");  // ideographic space
  EXPECT_EQ(folded("赌，博。"), "赌博。");  // the full stop after the last CJK character stays
  EXPECT_EQ(folded("赌博 casino"), "赌博 casino");
  EXPECT_EQ(folded("a  b\t\nc"), "a b c");
  EXPECT_EQ(folded("free . bet"), "free . bet");
}

TEST(TextFoldTest, TraditionalBecomesSimplified) {
  EXPECT_EQ(folded("網上賭博"), "网上赌博");
  EXPECT_EQ(folded("澳門博彩"), "澳门博彩");
  EXPECT_EQ(simplified_chinese(U'賭'), U'赌');
  EXPECT_EQ(simplified_chinese(U'赌'), U'赌');
  // Several simplified forms: OpenCC's first.
  EXPECT_EQ(simplified_chinese(U'餘'), U'余');
  EXPECT_EQ(simplified_chinese(U'a'), U'a');
}

TEST(TextFoldTest, PercentEscapesDecoded) {
  EXPECT_EQ(folded("%E8%B5%8C%E5%8D%9A"), "赌博");
  EXPECT_EQ(folded("/s?q=%e8%b3%ad%e5%8d%9a"), "/s?q=赌博");
  EXPECT_EQ(folded("%43asino"), "casino");
  // Not a character: kept as written.
  EXPECT_EQ(folded("100% sure, %E8%B5 and %zz"), "100% sure, %e8%b5 and %zz");
}

TEST(TextFoldTest, MixedScriptTokensFoldedToLatin) {
  EXPECT_EQ(folded("\u0441asino"), "casino");  // Cyrillic с
  EXPECT_EQ(folded("CАSINO"), "casino");       // Cyrillic А, upper case
  EXPECT_EQ(folded("p\u03BFker"), "poker");    // Greek ο
  // One script only: left alone.
  EXPECT_EQ(folded("Россия"), "россия");
  EXPECT_EQ(folded("λόγος"), "λόγοσ");  // case folding only
  EXPECT_EQ(folded("Москва casino"), "москва casino");
}

TEST(TextFoldTest, CombiningMarksComposed) {
  EXPECT_EQ(folded("cafe\u0301"), "caf\u00E9");
  EXPECT_EQ(folded("Ǆ"), "dž");
}

TEST(TextFoldTest, OffsetsMapBackToTheOriginal) {
  const std::string original = "前文 ｃａｓｉｎｏ 赌 博 網站";
  const FoldedText f = fold_text(original);
  EXPECT_EQ(f.text, "前文 casino 赌博网站");
  const auto at = [&](std::string_view needle) { return f.original_offset(f.text.find(needle)); };
  EXPECT_EQ(original.substr(at("casino"), 3), "ｃ");
  EXPECT_EQ(original.substr(at("赌"), 3), "赌");
  EXPECT_EQ(original.substr(at("博"), 3), "博");
  EXPECT_EQ(original.substr(at("网"), 3), "網");
  EXPECT_EQ(f.original_offset(f.text.size()), original.size());
}

TEST(TextFoldTest, HostileInputStaysValid) {
  std::string marks = "a";
  for (int i = 0; i < 5000; ++i) marks += "\u0301";
  EXPECT_FALSE(folded(marks).empty());
  EXPECT_EQ(folded("\xFF\xFE ok"), "\uFFFD\uFFFD ok");
  EXPECT_EQ(folded("%"), "%");
  EXPECT_EQ(folded("%E8"), "%e8");
}

}  // namespace
}  // namespace netwarden::content_detail
