#include "probes/content/text_fold.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "probes/content/traditional_chinese.h"
#include "probes/content/utf8.h"

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

// Whatever the input, the folded text is valid UTF-8 and its anchors point
// into the original, in order.
TEST(TextFoldTest, RandomInputFoldsToValidTextWithOrderedOffsets) {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"赌", "博",     "賭",     " ", ".", "_", "%E8",    "%B5",  "%8C",
                                           "%",  "\u200B", "\u00AD", "с", "a", "Z", "\u0301", "\xFF", "\xE8\xB5",
                                           "ｃ", "，",     "\u3000", "ﬁ", "Ω", "1", "\uFDFA", "\n"};
  for (int round = 0; round < 2000; ++round) {
    std::string original;
    for (int n = static_cast<int>(rng() % 40); n > 0; --n) original += pieces[rng() % pieces.size()];
    const FoldedText f = fold_text(original);
    ASSERT_EQ(first_invalid_utf8(f.text), std::string_view::npos) << original;
    for (std::size_t k = 0; k < f.anchors.size(); ++k) {
      ASSERT_LE(f.anchors[k].second, original.size()) << original;
      if (k > 0) {
        ASSERT_LT(f.anchors[k - 1].first, f.anchors[k].first) << original;
        ASSERT_LE(f.anchors[k - 1].second, f.anchors[k].second) << original;
      }
    }
  }
}

}  // namespace
}  // namespace netwarden::content_detail
