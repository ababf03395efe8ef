// Traditional to simplified Chinese, one character at a time, for keyword
// matching: 賭博 on a page must match 赌博 in a list, and the other way round.
//
// The table is OpenCC's TSCharacters dictionary (the opencc package's
// /usr/share/opencc/TSCharacters.ocd2, dumped to text at build time by
// opencc_dict and compiled in): 4,113 traditional characters. Where OpenCC
// offers several simplified forms (乾 → 干 乾, 餘 → 余 馀), the first, its
// preferred one, is taken. Phrase-level conversion (OpenCC's TSPhrases) is
// left out on purpose: it needs segmentation, which costs ~2 ms a page, and
// one-to-one is all that matching needs, since keyword and page are folded
// alike.
//
// Thread-safety: the table is built on first use (thread-safe) and then
// only read.
#pragma once

#include <bitset>

namespace netwarden::content_detail {

// Every character OpenCC knows lies below U+30000 (the CJK extension planes).
inline constexpr char32_t kTraditionalLimit = 0x30000;

// Bit c is set for each traditional character c, so that fast paths test
// simplified text with one bit per character.
using TraditionalSet = std::bitset<kTraditionalLimit>;
const TraditionalSet& traditional_characters();

// The simplified form of `c`, or `c` itself when it is not a traditional
// character (or is the same in both).
char32_t simplified_chinese(char32_t c);

}  // namespace netwarden::content_detail
