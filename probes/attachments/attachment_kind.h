// Which kind of attachment a crawled link is: the formats whose text
// netwarden reads (PDF, Office Open XML, Excel 97-2003, CSV and plain
// text), .doc (recognised, listed as not inspected) and everything else.
#pragma once

#include <string_view>

namespace netwarden {

enum class AttachmentKind { pdf, docx, xlsx, pptx, xls, csv, text, doc, other };

// By the extension of the URL's path (case ignored, query and fragment
// ignored), else by the Content-Type's media type; `other` when neither
// names a kind read here.
AttachmentKind attachment_kind(std::string_view url, std::string_view content_type);

// "pdf", "docx", ..., "other".
std::string_view to_string(AttachmentKind kind);

// Whether the crawler should fetch `url` as an attachment, before fetching:
// its path ends in .pdf .docx .xlsx .pptx .xls .csv .txt or .doc.
bool is_attachment_url(std::string_view url);

}  // namespace netwarden
