// Where the extractors put text: appended up to a cap (the rest is
// dropped and the result marked truncated), with separators that never
// repeat, so that an empty cell adds nothing.
#pragma once

#include <string>
#include <string_view>

#include "probes/attachments/extract_text.h"

namespace netwarden::attachment_detail {

class TextSink {
 public:
  explicit TextSink(std::size_t max_text) : max_(max_text) {}

  void append(std::string_view piece);
  // '\t' between cells, '\n' between paragraphs and rows; '\n' wins.
  void separate(char separator);
  void count_part() { ++out_.parts; }
  // Once full, the extractors stop reading.
  bool full() const { return out_.truncated; }
  ExtractedText& result() { return out_; }

 private:
  std::size_t max_;
  ExtractedText out_;
};

}  // namespace netwarden::attachment_detail
