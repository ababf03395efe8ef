#include "probes/attachments/extract_text.h"

#include "probes/attachments/extractors.h"

namespace netwarden {

Result<ExtractedText> extract_text(std::string_view bytes, AttachmentKind kind, std::size_t max_text,
                                   const char* bytes_file) {
  using namespace attachment_detail;
  TextSink sink(max_text);
  Result<void> read;
  switch (kind) {
    case AttachmentKind::pdf: read = pdf_text(bytes, sink); break;
    case AttachmentKind::docx:
    case AttachmentKind::xlsx:
    case AttachmentKind::pptx: read = ooxml_text(bytes, kind, sink); break;
    case AttachmentKind::xls:
      read = bytes_file != nullptr ? xls_file_text(bytes_file, sink) : xls_text(bytes, sink);
      break;
    case AttachmentKind::csv:
    case AttachmentKind::text: plain_text(bytes, sink); break;
    case AttachmentKind::doc: return fail("not inspected: .doc (Word 97-2003) is not read; save as .docx");
    case AttachmentKind::other: return fail("not inspected: not a kind of attachment netwarden reads");
  }
  if (!read) return std::unexpected(read.error());
  return std::move(sink.result());
}

}  // namespace netwarden
