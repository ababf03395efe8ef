// The canonical form of extracted text that fingerprints are taken over:
// every run of whitespace (ASCII, U+00A0 no-break space, U+3000
// ideographic space) collapsed to one ' ', none at either end. Bytes that
// are not well-formed UTF-8 (a page in GBK, say) are kept as the Latin-1
// characters of the same value, so the result is always valid UTF-8 and
// still changes whenever the input does.
#pragma once

#include <string>
#include <string_view>

namespace netwarden::content_detail {

// Appends text given in pieces to `out` in canonical form, as if the pieces
// were one string.
class NormalisedText {
 public:
  explicit NormalisedText(std::string& out) : out_(out), start_(out.size()) {}

  void append(std::string_view text);
  // A word break (a block element's edge), collapsed like any whitespace.
  void space() { pending_space_ = true; }

 private:
  void flush(std::string_view run);

  std::string& out_;
  std::size_t start_;
  bool pending_space_ = false;
};

inline void append_normalised(std::string& out, std::string_view text) { NormalisedText(out).append(text); }

inline std::string normalised(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_normalised(out, text);
  return out;
}

}  // namespace netwarden::content_detail
