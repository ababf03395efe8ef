// One reader per format, behind extract_text(): each appends what it reads
// to the sink and returns an error saying what is wrong with the file.
#pragma once

#include <string_view>

#include "common/result.h"
#include "probes/attachments/attachment_kind.h"
#include "probes/attachments/text_sink.h"

namespace netwarden::attachment_detail {

// Each page's text in reading order; `image_only` when no page has any.
Result<void> pdf_text(std::string_view bytes, TextSink& sink);

// DOCX, XLSX, PPTX: the XML parts that hold text, read from the zip with a
// cap on what they inflate to.
Result<void> ooxml_text(std::string_view bytes, AttachmentKind kind, TextSink& sink);

// Excel 97-2003: every cell of every sheet. FreeXL reads only files, so
// the bytes are handed to it as /proc/self/fd/N of a memory file.
Result<void> xls_text(std::string_view bytes, TextSink& sink);
// The same, from a file (netwarden-extract's standard input is one).
Result<void> xls_file_text(const char* path, TextSink& sink);

// CSV and plain text: UTF-8 (with or without a byte order mark), UTF-16
// with one, else GB18030, as older Chinese sites write it.
void plain_text(std::string_view bytes, TextSink& sink);

}  // namespace netwarden::attachment_detail
