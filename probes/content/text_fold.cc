#include "probes/content/text_fold.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

#include "probes/content/traditional_chinese.h"
#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

// What a folded character is to the rules that look past one character.
enum class Kind : std::uint8_t {
  kWord,       // letters, digits, marks: a run of them is a token
  kCjk,        // CJK ideographs, kana, hangul
  kSpace,      // collapsed to one ' '; dropped between CJK characters
  kSeparator,  // punctuation, symbols, controls: dropped between CJK characters
  kOther,      // unassigned, private use
};

constexpr std::array<Kind, 128> kAsciiKind = [] {
  std::array<Kind, 128> kind{};
  for (int c = 0; c < 128; ++c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    const bool space = c == ' ' || (c >= '\t' && c <= '\r');
    kind[c] = alnum ? Kind::kWord : space ? Kind::kSpace : Kind::kSeparator;
  }
  return kind;
}();

constexpr char32_t ascii_lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

// Unified ideographs (the BMP block, extension A, the extension planes):
// NFKC leaves them alone, so they skip ICU.
constexpr bool is_unified_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2F7FF) ||
         (c >= 0x30000 && c <= 0x3FFFF);
}

constexpr bool is_cjk(char32_t c) {
  return is_unified_ideograph(c) || (c >= 0x2E80 && c <= 0x2FDF) ||  // radicals
         (c >= 0x3040 && c <= 0x30FF) ||                             // kana
         (c >= 0x3100 && c <= 0x312F) ||                             // bopomofo
         (c >= 0xAC00 && c <= 0xD7AF) ||                             // hangul syllables
         (c >= 0xF900 && c <= 0xFAFF);                               // compatibility ideographs
}

Kind kind_of(char32_t c) {
  if (c < 0x80) return kAsciiKind[c];
  if (is_cjk(c)) return Kind::kCjk;
  const std::uint32_t mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  if (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) return Kind::kWord;
  if (mask & U_GC_Z_MASK) return Kind::kSpace;
  if (mask & (U_GC_P_MASK | U_GC_S_MASK | U_GC_CC_MASK | U_GC_CF_MASK)) return Kind::kSeparator;
  return Kind::kOther;
}

// The look-alike scripts, as bits: a token with two of them is disguised.
constexpr unsigned kLatin = 1, kCyrillic = 2, kGreek = 4;

unsigned script_bit(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? kLatin : 0;
  if (!u_isalpha(static_cast<UChar32>(c))) return 0;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(static_cast<UChar32>(c), &status)) {
    case USCRIPT_LATIN: return kLatin;
    case USCRIPT_CYRILLIC: return kCyrillic;
    case USCRIPT_GREEK: return kGreek;
    default: return 0;
  }
}

// ICU's own instance: owned by ICU, never freed, thread-safe.
const UNormalizer2* nfkc_casefold() {
  static const UNormalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* n = unorm2_getNFKCCasefoldInstance(&status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

struct SpoofCloser {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

// Const use of a configured checker (getSkeleton) is thread-safe.
const USpoofChecker* spoof_checker() {
  static const std::unique_ptr<USpoofChecker, SpoofCloser> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<USpoofChecker, SpoofCloser> checker(uspoof_open(&status));
    return U_SUCCESS(status) ? std::move(checker) : nullptr;
  }();
  return instance.get();
}

// The Latin letter a Cyrillic or Greek letter passes for (its confusable
// skeleton, when that is one ASCII letter), else the letter itself.
char32_t latin_lookalike(char32_t c) {
  const USpoofChecker* checker = spoof_checker();
  if (checker == nullptr) return c;
  std::array<UChar, 2> source{};
  std::int32_t length = 0;
  U16_APPEND_UNSAFE(source.data(), length, static_cast<UChar32>(c));
  std::array<UChar, 8> skeleton{};
  UErrorCode status = U_ZERO_ERROR;
  const std::int32_t n = uspoof_getSkeleton(checker, 0, source.data(), length, skeleton.data(),
                                            static_cast<std::int32_t>(skeleton.size()), &status);
  if (U_FAILURE(status) || n != 1 || skeleton[0] >= 0x80 || kAsciiKind[skeleton[0]] != Kind::kWord ||
      (skeleton[0] >= '0' && skeleton[0] <= '9')) {
    return c;
  }
  return ascii_lower(skeleton[0]);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Decoded {
  char32_t code;
  std::size_t length;  // bytes of the original it took
};

// A run of %XX at `at` that spells one well-formed UTF-8 character.
std::optional<Decoded> percent_char(std::string_view text, std::size_t at) {
  std::array<char, 4> bytes{};
  std::size_t want = 1;
  for (std::size_t k = 0; k < want; ++k) {
    const std::size_t p = at + 3 * k;
    if (p + 3 > text.size() || text[p] != '%') return std::nullopt;
    const int high = hex_value(text[p + 1]);
    const int low = hex_value(text[p + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[k] = static_cast<char>(high * 16 + low);
    if (k == 0) {
      const auto lead = static_cast<unsigned char>(bytes[0]);
      want = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
      if (want == 0) return std::nullopt;
    }
  }
  const Utf8Char c = decode_utf8(std::string_view(bytes.data(), want), 0);
  if (!c.valid || c.length != want) return std::nullopt;
  return Decoded{c.code, 3 * want};
}

Decoded read_char(std::string_view text, std::size_t at) {
  if (text[at] == '%') {
    if (std::optional<Decoded> d = percent_char(text, at)) return *d;
  }
  const Utf8Char c = decode_utf8(text, at);
  return {c.valid ? c.code : char32_t{0xFFFD}, c.length};
}

// True when NFKC cannot combine `c` with what precedes it.
bool starts_segment(char32_t c) {
  if (c < 0x300 || is_unified_ideograph(c)) return true;
  const UNormalizer2* n = nfkc_casefold();
  return n == nullptr || unorm2_hasBoundaryBefore(n, static_cast<UChar32>(c));
}

// A character and the combining marks after it are normalised together;
// hostile input may pile up thousands of marks, so a segment is bounded.
constexpr std::size_t kMaxSegmentUnits = 64;

class Folder {
 public:
  explicit Folder(std::string_view original) : in_(original) { out_.text.reserve(original.size()); }

  FoldedText finish() && {
    if (in_token_) end_token(in_.size());
    return std::move(out_);
  }

  void fold(std::size_t begin, std::size_t end) {
    const std::string_view text = in_.substr(0, end);
    std::size_t i = begin;
    while (i < end) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte < 0x80 && byte != '%' && (i + 1 == end || static_cast<unsigned char>(text[i + 1]) < 0x80)) {
        push(i, ascii_lower(byte));
        i = in_token_ ? copy_ascii_words(text, i + 1) : i + 1;
        continue;
      }
      const Decoded c = read_char(text, i);
      std::size_t segment_end = i + c.length;
      while (segment_end < end) {
        const Utf8Char next = decode_utf8(text, segment_end);
        if (!next.valid || starts_segment(next.code)) break;
        segment_end += next.length;
      }
      if (segment_end == i + c.length) {
        fold_char(i, c.code);
      } else {
        normalise(i, c.code, text.substr(i + c.length, segment_end - i - c.length));
      }
      i = after_cjk_ && !separators_after_cjk_ ? copy_plain_han(text, segment_end) : segment_end;
    }
  }

 private:
  // One character with nothing attached: the common cases without ICU.
  void fold_char(std::size_t at, char32_t c) {
    if (c < 0x80) {
      push(at, ascii_lower(c));
    } else if (c >= 0xFF01 && c <= 0xFF5E) {
      push(at, ascii_lower(c - 0xFEE0));  // full-width ASCII: what NFKC gives
    } else if (const UNormalizer2* n = nfkc_casefold();
               is_unified_ideograph(c) || n == nullptr || unorm2_isInert(n, static_cast<UChar32>(c))) {
      push(at, c);
    } else {
      normalise(at, c, {});
    }
  }

  // NFKC_Casefold of `first` and the marks attached to it.
  void normalise(std::size_t at, char32_t first, std::string_view attached) {
    std::array<UChar, kMaxSegmentUnits + 2> source{};
    std::int32_t length = 0;
    U16_APPEND_UNSAFE(source.data(), length, static_cast<UChar32>(first));
    for (std::size_t k = 0; k < attached.size() && length + 2 <= static_cast<std::int32_t>(kMaxSegmentUnits);) {
      const Utf8Char c = decode_utf8(attached, k);
      U16_APPEND_UNSAFE(source.data(), length, static_cast<UChar32>(c.valid ? c.code : 0xFFFD));
      k += c.length;
    }
    // NFKC expands one character to at most 18.
    std::array<UChar, 18 * (kMaxSegmentUnits + 2)> folded{};
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* n = nfkc_casefold();
    const std::int32_t size = n == nullptr ? -1
                                           : unorm2_normalize(n, source.data(), length, folded.data(),
                                                              static_cast<std::int32_t>(folded.size()), &status);
    if (size < 0 || U_FAILURE(status)) {
      push(at, first);
      return;
    }
    for (std::int32_t k = 0; k < size;) {
      UChar32 c = 0;
      U16_NEXT(folded.data(), k, size, c);
      push(at, static_cast<char32_t>(c));
    }
  }

  // The fast paths: what follows a letter or digit that push() took, or a
  // CJK character, is mostly more of the same, which folding copies (ASCII
  // lower-cased). Each stops before a character that needs a closer look:
  // anything else, and the last ASCII one before a non-ASCII byte (which
  // may be a combining mark).
  std::size_t copy_ascii_words(std::string_view text, std::size_t begin) {
    // text[k] may be taken alone: ASCII, and so is what follows it.
    const auto plain = [&](std::size_t k) {
      return k < text.size() && static_cast<unsigned char>(text[k]) < 0x80 &&
             (k + 1 == text.size() || static_cast<unsigned char>(text[k + 1]) < 0x80);
    };
    const auto word = [&](std::size_t k) { return kAsciiKind[static_cast<unsigned char>(text[k])] == Kind::kWord; };
    std::size_t i = begin;
    for (;;) {
      for (; plain(i) && word(i); ++i) {
        if (text[i] > '9') token_scripts_ |= kLatin;
      }
      // One space, then another word: this token ends (all Latin, so as it
      // is) and the next starts.
      if ((token_scripts_ & ~kLatin) != 0 || !plain(i) || text[i] != ' ' || !plain(i + 1) || !word(i + 1)) break;
      token_out_start_ = out_.text.size() + (i + 1 - begin);
      token_start_ = i + 1;
      token_scripts_ = 0;
      ++i;
    }
    if (i == begin) return i;
    anchor(begin);
    const std::size_t at = out_.text.size();
    out_.text.resize(at + (i - begin));
    std::transform(text.begin() + static_cast<std::ptrdiff_t>(begin), text.begin() + static_cast<std::ptrdiff_t>(i),
                   out_.text.begin() + static_cast<std::ptrdiff_t>(at),
                   [](char c) { return static_cast<char>(ascii_lower(static_cast<unsigned char>(c))); });
    return i;
  }

  // BMP unified ideographs that are not traditional, as they are.
  std::size_t copy_plain_han(std::string_view text, std::size_t begin) {
    std::size_t i = begin;
    while (i + 3 <= text.size()) {
      const auto b0 = static_cast<unsigned char>(text[i]);
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if (b0 < 0xE4 || b0 > 0xE9 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) break;
      const char32_t c = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
      if (c < 0x4E00 || traditional_[c]) break;
      i += 3;
    }
    if (i == begin) return i;
    anchor(begin);
    out_.text.append(text.substr(begin, i - begin));
    return i;
  }

  // One normalised character, from original offset `at`.
  void push(std::size_t at, char32_t c) {
    if (skeleton_ && (script_bit(c) & (kCyrillic | kGreek))) c = latin_lookalike(c);
    const Kind kind = kind_of(c);
    if (kind != Kind::kWord && in_token_) end_token(at);
    switch (kind) {
      case Kind::kCjk:
        if (separators_after_cjk_) truncate(separators_start_);
        emit(at, simplified_chinese(c));
        after_cjk_ = true;
        separators_after_cjk_ = false;
        return;
      case Kind::kSpace:
      case Kind::kSeparator:
        if (after_cjk_ && !separators_after_cjk_) {
          separators_after_cjk_ = true;
          separators_start_ = out_.text.size();
        }
        if (kind == Kind::kSpace) {
          if (out_.text.empty() || out_.text.back() != ' ') emit(at, ' ');
        } else {
          emit(at, c);
        }
        return;
      case Kind::kWord:
        if (!skeleton_) {
          if (!in_token_) {
            in_token_ = true;
            token_scripts_ = 0;
            token_start_ = at;
            token_out_start_ = out_.text.size();
          }
          token_scripts_ |= script_bit(c);
        }
        break;
      case Kind::kOther: break;
    }
    emit(at, c);
    after_cjk_ = false;
    separators_after_cjk_ = false;
  }

  // A token ends before original offset `at`: one that mixes look-alike
  // scripts is folded again with its Cyrillic and Greek letters made Latin.
  void end_token(std::size_t at) {
    in_token_ = false;
    if ((token_scripts_ & (token_scripts_ - 1)) == 0 || at <= token_start_) return;  // fewer than two scripts
    truncate(token_out_start_);
    skeleton_ = true;
    fold(token_start_, at);
    skeleton_ = false;
  }

  // Notes that the next output byte comes from original offset `at`.
  void anchor(std::size_t at) {
    const auto folded = static_cast<std::uint32_t>(out_.text.size());
    const auto original = static_cast<std::uint32_t>(at);
    auto& anchors = out_.anchors;
    if (!anchors.empty() && original - folded == anchors.back().second - anchors.back().first) return;
    if (!anchors.empty() && anchors.back().first == folded) {
      anchors.back().second = original;
    } else {
      anchors.emplace_back(folded, original);
    }
  }

  void emit(std::size_t at, char32_t c) {
    anchor(at);
    if (c < 0x80) {
      out_.text.push_back(static_cast<char>(c));
    } else {
      append_utf8(out_.text, c);
    }
  }

  void truncate(std::size_t size) {
    out_.text.resize(size);
    while (!out_.anchors.empty() && out_.anchors.back().first > size) out_.anchors.pop_back();
  }

  std::string_view in_;
  const TraditionalSet& traditional_ = traditional_characters();
  FoldedText out_;
  bool after_cjk_ = false;             // the last character kept was CJK...
  bool separators_after_cjk_ = false;  // ...or only separators followed it,
  std::size_t separators_start_ = 0;   // from here in the output
  bool in_token_ = false;
  unsigned token_scripts_ = 0;
  std::size_t token_start_ = 0;      // original offset
  std::size_t token_out_start_ = 0;  // folded offset
  bool skeleton_ = false;            // folding a mixed-script token again
};

}  // namespace

std::size_t FoldedText::original_offset(std::size_t folded) const {
  auto it = std::upper_bound(anchors.begin(), anchors.end(), folded,
                             [](std::size_t f, const auto& anchor) { return f < anchor.first; });
  if (it == anchors.begin()) return folded;
  --it;
  return it->second + (folded - it->first);
}

FoldedText fold_text(std::string_view original) {
  Folder folder(original);
  folder.fold(0, original.size());
  return std::move(folder).finish();
}

std::string fold_keyword(std::string_view keyword) { return fold_text(keyword).text; }

}  // namespace netwarden::content_detail
