// Folding text for keyword matching, so that a disguised word still
// matches: page texts and keyword lists are folded alike, then compared
// byte for byte.
//
// What folding does, in this order for each character:
//  - percent-escapes that spell a UTF-8 character are decoded
//    (%E8%B5%8C → 赌, %63 → c);
//  - Unicode NFKC with case folding and removal of default-ignorable
//    characters (ICU's NFKC_Casefold): full-width ｃａｓｉｎｏ → casino,
//    CASINO → casino, and zero-width characters (U+200B..U+200D, U+2060,
//    U+FEFF) and soft hyphens (U+00AD) are dropped;
//  - traditional Chinese characters become simplified
//    (traditional_chinese.h);
//  - whitespace and punctuation between two CJK characters are dropped
//    (赌 博, 赌.博, 赌_博 → 赌博); elsewhere runs of whitespace become one
//    space;
//  - in a word that mixes Latin, Cyrillic or Greek letters, each Cyrillic
//    or Greek letter that looks like a Latin one becomes that letter (ICU's
//    confusable skeleton): сasino with a Cyrillic с → casino. Words in one
//    script are left alone, so Russian or Greek text is not mangled.
//
// The folded text keeps a map back to the original, so that a match can be
// quoted as the page wrote it.
//
// Thread-safety: free functions over immutable tables; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netwarden::content_detail {

struct FoldedText {
  std::string text;  // valid UTF-8
  // Where folded bytes came from: each (folded offset, original offset)
  // pair starts a stretch in which both advance together; offsets between
  // anchors are found by that rule. Sorted by folded offset.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> anchors;

  // The original offset of folded byte `folded` (may fall inside a
  // character when folding changed its length; callers round).
  std::size_t original_offset(std::size_t folded) const;
};

// Folds `original` (bytes that are not UTF-8 count as U+FFFD). Texts
// longer than 4 GiB are not expected: offsets are 32-bit.
FoldedText fold_text(std::string_view original);

// fold_text(keyword).text: what a keyword must be compared as.
std::string fold_keyword(std::string_view keyword);

}  // namespace netwarden::content_detail
