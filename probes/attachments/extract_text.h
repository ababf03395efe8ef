// The text of an attachment (PDF, DOCX, XLSX, PPTX, XLS, CSV, plain text),
// for scanning like a page: cells, paragraphs and slides' lines are kept
// apart by tabs and newlines, so that a number in one cell never runs into
// the next one's.
//
// This parses hostile input in the calling process: the daemon calls it only
// inside netwarden-extract (extract_sandbox.h), never itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "probes/attachments/attachment_kind.h"

namespace netwarden {

inline constexpr std::size_t kDefaultMaxText = std::size_t{8} << 20;

struct ExtractedText {
  std::string text;  // UTF-8
  // A PDF with pages but no text layer (a scan): not inspected.
  bool image_only = false;
  int parts = 0;           // pages, sheets or slides read (1 for text, a document)
  bool truncated = false;  // `text` stopped at max_text
};

// The error says what is wrong with the file ("not a readable PDF: ...",
// "zip bomb: ...", "not inspected: .doc (Word 97-2003) is not read; save as
// .docx"); `kind` other is an error too. `bytes_file` names a file holding
// the same bytes, for FreeXL (XLS), which reads only files: without one a
// memory file is made, which netwarden-extract cannot (it may not write).
Result<ExtractedText> extract_text(std::string_view bytes, AttachmentKind kind, std::size_t max_text = kDefaultMaxText,
                                   const char* bytes_file = nullptr);

// What to say about a file that was read but not inspected ("not
// inspected: scanned (no text layer)"), or "" when its text was scanned.
inline std::string not_inspected_reason(const ExtractedText& extracted) {
  return extracted.image_only ? "not inspected: scanned (no text layer)" : "";
}

}  // namespace netwarden
