// Writing one header field of an RFC 5322 message, folded so that no line
// exceeds 78 characters, with non-ASCII text as RFC 2047 "B" encoded-words.
// Private to the message folder.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace netwarden::mail_detail {

// Standard base64 of `bytes`, without line breaks (OpenSSL's encoder).
std::string base64(std::string_view bytes);

class FoldedHeader {
 public:
  explicit FoldedHeader(std::string_view name);

  // An ASCII token preceded by one space; the line folds before it when it
  // would not fit (even right after the field name: FWS is allowed there).
  // A token longer than a whole line stays whole.
  void token(std::string_view text);
  // UTF-8 text as encoded-words (each at most 75 characters, split between
  // characters), filling the current line first.
  void encoded(std::string_view utf8);
  // Unstructured text: plain words when it is printable ASCII that folds
  // into short enough lines and cannot be mistaken for encoded-words,
  // encoded-words otherwise.
  void text(std::string_view utf8);

  // The field with its CRLF.
  std::string finish() &&;

 private:
  void new_line();

  std::string out_;
  std::size_t line_length_;  // 0 on a fresh continuation line
};

}  // namespace netwarden::mail_detail
