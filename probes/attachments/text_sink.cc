#include "probes/attachments/text_sink.h"

namespace netwarden::attachment_detail {

void TextSink::append(std::string_view piece) {
  if (out_.truncated || piece.empty()) return;
  std::string& text = out_.text;
  if (text.size() + piece.size() > max_) {
    // Cut at a character boundary: never a UTF-8 continuation byte first.
    std::size_t keep = max_ - text.size();
    while (keep > 0 && (static_cast<unsigned char>(piece[keep]) & 0xC0) == 0x80) --keep;
    text.append(piece.substr(0, keep));
    out_.truncated = true;
    return;
  }
  text.append(piece);
}

void TextSink::separate(char separator) {
  std::string& text = out_.text;
  if (out_.truncated || text.empty() || text.back() == '\n') return;
  if (text.back() == '\t') {
    if (separator == '\n') text.back() = '\n';
    return;
  }
  append(std::string_view(&separator, 1));
}

}  // namespace netwarden::attachment_detail
