#include "probes/attachments/attachment_kind.h"

#include <algorithm>
#include <array>

#include "common/ascii.h"

namespace netwarden {
namespace {

struct Named {
  std::string_view name;  // lower case
  AttachmentKind kind;
};

constexpr std::array kExtensions{
    Named{"pdf", AttachmentKind::pdf},   Named{"docx", AttachmentKind::docx}, Named{"xlsx", AttachmentKind::xlsx},
    Named{"pptx", AttachmentKind::pptx}, Named{"xls", AttachmentKind::xls},   Named{"csv", AttachmentKind::csv},
    Named{"txt", AttachmentKind::text},  Named{"doc", AttachmentKind::doc},
};

constexpr std::array kMediaTypes{
    Named{"application/pdf", AttachmentKind::pdf},
    Named{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", AttachmentKind::docx},
    Named{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", AttachmentKind::xlsx},
    Named{"application/vnd.openxmlformats-officedocument.presentationml.presentation", AttachmentKind::pptx},
    Named{"application/vnd.ms-excel", AttachmentKind::xls},
    Named{"text/csv", AttachmentKind::csv},
    Named{"text/plain", AttachmentKind::text},
    Named{"application/msword", AttachmentKind::doc},
};

AttachmentKind find(std::string_view key, const auto& table) {
  const auto* it = std::find_if(table.begin(), table.end(), [&](const Named& n) { return iequals_lower(key, n.name); });
  return it == table.end() ? AttachmentKind::other : it->kind;
}

// The extension of the URL's last path segment ("" when it has none).
std::string_view extension(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const std::size_t path = url.find('/');
    url = path == std::string_view::npos ? std::string_view() : url.substr(path);
  }
  const std::string_view segment = url.substr(url.rfind('/') + 1);
  const std::size_t dot = segment.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : segment.substr(dot + 1);
}

}  // namespace

AttachmentKind attachment_kind(std::string_view url, std::string_view content_type) {
  const AttachmentKind by_name = find(extension(url), kExtensions);
  if (by_name != AttachmentKind::other) return by_name;
  return find(trim_html_space(content_type.substr(0, content_type.find(';'))), kMediaTypes);
}

std::string_view to_string(AttachmentKind kind) {
  switch (kind) {
    case AttachmentKind::pdf: return "pdf";
    case AttachmentKind::docx: return "docx";
    case AttachmentKind::xlsx: return "xlsx";
    case AttachmentKind::pptx: return "pptx";
    case AttachmentKind::xls: return "xls";
    case AttachmentKind::csv: return "csv";
    case AttachmentKind::text: return "text";
    case AttachmentKind::doc: return "doc";
    case AttachmentKind::other: break;
  }
  return "other";
}

bool is_attachment_url(std::string_view url) { return find(extension(url), kExtensions) != AttachmentKind::other; }

}  // namespace netwarden
