#include "daemon/notifier/message/header_folding.h"

#include <openssl/evp.h>

#include <algorithm>

namespace netwarden::mail_detail {

namespace {

constexpr std::size_t kMaxLine = 78;
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 §2
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";

std::size_t base64_length(std::size_t bytes) { return (bytes + 2) / 3 * 4; }

std::size_t encoded_word_length(std::size_t bytes) {
  return kWordStart.size() + base64_length(bytes) + kWordEnd.size();
}

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Bytes of `text` from `from` up to the last character boundary whose
// encoded-word fits in `room`; 0 when not even one character fits.
std::size_t fitting_bytes(std::string_view text, std::size_t from, std::size_t room) {
  std::size_t end = from, fits = 0;
  while (end < text.size()) {
    std::size_t next = end + 1;
    while (next < text.size() && continuation_byte(text[next])) ++next;
    if (encoded_word_length(next - from) > room) break;
    fits = next - from;
    end = next;
  }
  return fits;
}

// Whether `text` can go out as it is: printable ASCII, nothing that looks
// like an encoded-word, the first word within `first_room` and every other
// within a continuation line.
bool plain_ascii_fits(std::string_view text, std::size_t first_room) {
  if (text.find("=?") != std::string_view::npos) return false;
  std::size_t word = 0, room = first_room;
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
    if (c == ' ' && word > 0) room = kMaxLine - 1;
    word = c == ' ' ? 0 : word + 1;
    if (word > room) return false;
  }
  return true;
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out(base64_length(bytes.size()) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

FoldedHeader::FoldedHeader(std::string_view name) : out_(std::string(name) + ":"), line_length_(out_.size()) {}

void FoldedHeader::new_line() {
  out_ += "\r\n";
  line_length_ = 0;
}

void FoldedHeader::token(std::string_view text) {
  if (line_length_ > 0 && line_length_ + 1 + text.size() > kMaxLine) new_line();
  out_ += ' ';
  out_ += text;
  line_length_ += 1 + text.size();
}

void FoldedHeader::encoded(std::string_view utf8) {
  std::size_t at = 0;
  while (at < utf8.size()) {
    std::size_t room = std::min(kMaxEncodedWord, kMaxLine - std::min(kMaxLine, line_length_ + 1));
    std::size_t bytes = fitting_bytes(utf8, at, room);
    // Any one character fits a fresh line (a 4-byte one makes a 20-character
    // word), so this cannot repeat.
    if (bytes == 0) {
      new_line();
      continue;
    }
    token(std::string(kWordStart) + base64(utf8.substr(at, bytes)) + std::string(kWordEnd));
    at += bytes;
  }
}

void FoldedHeader::text(std::string_view utf8) {
  if (!plain_ascii_fits(utf8, kMaxLine - std::min(kMaxLine, line_length_ + 1))) return encoded(utf8);
  // Folding happens at the existing spaces, so unfolding restores the text
  // exactly; runs of spaces stay inside one token.
  std::size_t at = 0;
  while (at < utf8.size()) {
    std::size_t end = utf8.find(' ', at + 1);
    if (end == std::string_view::npos) end = utf8.size();
    std::string_view piece = utf8.substr(at, end - at);
    if (at == 0) {
      token(piece);
    } else {
      // `piece` starts with the space that separates it.
      if (line_length_ + piece.size() > kMaxLine) new_line();
      out_ += piece;
      line_length_ += piece.size();
    }
    at = end;
  }
}

std::string FoldedHeader::finish() && { return std::move(out_) + "\r\n"; }

}  // namespace netwarden::mail_detail
