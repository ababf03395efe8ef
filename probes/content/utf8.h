// UTF-8 helpers shared by the content probe's text handling.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace netwarden::content_detail {

// One decoded character: its code point and byte length, or `valid` false
// with length 1 for a byte that does not start a well-formed sequence
// (overlong forms, surrogates and values past U+10FFFF included).
struct Utf8Char {
  char32_t code;
  std::size_t length;
  bool valid;
};

inline Utf8Char decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};
  const std::size_t length = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || at + length > text.size()) return {lead, 1, false};
  char32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return {lead, 1, false};
    code = (code << 6) | (byte(k) & 0x3F);
  }
  constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {lead, 1, false};
  return {code, length, true};
}

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view text);

// Appends `code` encoded as UTF-8; invalid code points become U+FFFD.
void append_utf8(std::string& out, char32_t code);

}  // namespace netwarden::content_detail
