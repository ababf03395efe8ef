// CSV and plain text, decoded with the pages' charset rules
// (probes/content/charset.h): a byte order mark decides, else UTF-8 when
// the bytes are valid UTF-8, else GB18030 (which includes GBK and GB2312).
// CSV's commas already keep numbers apart.
#include "probes/attachments/extractors.h"
#include "probes/content/charset.h"

namespace netwarden::attachment_detail {

void plain_text(std::string_view bytes, TextSink& sink) {
  content_detail::DecodedBody decoded = content_detail::decode_by_header(bytes, "");
  if (!decoded.certain) decoded = content_detail::decode_by_meta(bytes, "gb18030");
  sink.append(decoded.text(bytes));
  sink.count_part();
}

}  // namespace netwarden::attachment_detail
