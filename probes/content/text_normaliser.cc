#include "probes/content/text_normaliser.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

constexpr std::uint32_t le32(std::uint32_t w) {
  if constexpr (std::endian::native == std::endian::big) return std::byteswap(w);
  return w;
}

// Whether text[at..] starts with a well-formed three-byte sequence
// (U+0800..U+FFFF less the surrogates: all of CJK) other than U+3000. The
// general decoder handles the rest; this is the hot path for Chinese pages.
inline bool plain_three_byte(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return false;
  std::uint32_t w;
  std::memcpy(&w, text.data() + at, sizeof w);
  w = le32(w);
  if ((w & 0x00C0C0F0) != 0x008080E0 || (w & 0x00FFFFFF) == 0x008080E3) return false;
  const std::uint32_t lead = w & 0xFF;
  const std::uint32_t b1 = (w >> 8) & 0xFF;
  return !((lead == 0xE0 && b1 < 0xA0) || (lead == 0xED && b1 >= 0xA0));
}

// Whether the 8 bytes at p are all in 0x21..0x7F (no whitespace, no
// control character, no UTF-8): a byte below 0x21 borrows into its top bit
// when 0x21 is subtracted, a byte from 0x80 up has it set already. A borrow
// can only spread past a byte that is itself flagged, so there are no false
// "yes" answers.
inline bool all_printable_ascii(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  return (((word - kOnes * 0x21) | word) & (kOnes * 0x80)) == 0;
}

}  // namespace

void NormalisedText::flush(std::string_view run) {
  if (run.empty()) return;
  if (pending_space_ && out_.size() > start_) out_ += ' ';
  pending_space_ = false;
  out_.append(run);
}

// Copies runs of ordinary characters in one piece; only whitespace and
// malformed bytes interrupt a run.
void NormalisedText::append(std::string_view text) {
  // The newline between two tags: the commonest piece of all.
  if (text.size() == 1 && static_cast<unsigned char>(text[0]) <= ' ') {
    const char c = text[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      pending_space_ = true;
      return;
    }
  }
  std::size_t run = 0;
  std::size_t i = 0;
  const auto interrupt = [&](std::size_t skip) {
    flush(text.substr(run, i - run));
    i += skip;
    run = i;
  };
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c > ' ' && c < 0x80) {
      ++i;
      while (i + 8 <= text.size() && all_printable_ascii(text.data() + i)) i += 8;
    } else if (c == ' ' && i > run && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) > ' ' &&
               text[i + 1] != '\xC2' && text[i + 1] != '\xE3') {
      // A lone space between two other characters is canonical already:
      // keep it in the run rather than cutting the run there. (0xC2 and
      // 0xE3 may start U+00A0 or U+3000, so those take the slow path.)
      ++i;
    } else if (c < 0x80) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        interrupt(1);
        pending_space_ = true;
      } else {
        ++i;
      }
    } else if (plain_three_byte(text, i)) {
      i += 3;
      while (plain_three_byte(text, i)) i += 3;
    } else {
      const Utf8Char u = decode_utf8(text, i);
      if (!u.valid) {
        interrupt(1);
        std::string latin1;
        append_utf8(latin1, c);
        flush(latin1);
      } else if (u.code == 0xA0 || u.code == 0x3000) {
        interrupt(u.length);
        pending_space_ = true;
      } else {
        i += u.length;
      }
    }
  }
  flush(text.substr(run));
}

}  // namespace netwarden::content_detail
