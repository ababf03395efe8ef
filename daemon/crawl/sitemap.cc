#include "daemon/crawl/sitemap.h"

#include <libxml/xmlreader.h>

#include <memory>

namespace netwarden {

namespace {

struct FreeReader {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};

std::string_view name_of(xmlTextReader* reader) {
  const xmlChar* name = xmlTextReaderConstLocalName(reader);
  return name == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(name));
}

// The <loc>'s text, whitespace around it dropped.
std::string loc_text(xmlTextReader* reader) {
  xmlChar* text = xmlTextReaderReadString(reader);
  std::string out = text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  xmlFree(text);
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Sitemap read_sitemap(std::string_view body) {
  Sitemap out;
  if (body.empty() || body.size() > static_cast<std::size_t>(INT32_MAX)) return out;
  std::unique_ptr<xmlTextReader, FreeReader> reader(
      xmlReaderForMemory(body.data(), static_cast<int>(body.size()), nullptr, nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!reader) return out;
  std::string_view entry;  // "url" or "sitemap" while inside one
  int entry_depth = 0;     // its depth: only its own <loc> counts, not an <image:loc> within it
  while (xmlTextReaderRead(reader.get()) == 1 && out.pages.size() + out.sitemaps.size() < kMaxSitemapEntries) {
    const int type = xmlTextReaderNodeType(reader.get());
    const std::string_view name = name_of(reader.get());
    if (type == XML_READER_TYPE_ELEMENT && (name == "url" || name == "sitemap")) {
      entry = name == "url" ? "url" : "sitemap";
      entry_depth = xmlTextReaderDepth(reader.get());
    } else if (type == XML_READER_TYPE_END_ELEMENT && (name == "url" || name == "sitemap")) {
      entry = {};
    } else if (type == XML_READER_TYPE_ELEMENT && name == "loc" && !entry.empty() &&
               xmlTextReaderDepth(reader.get()) == entry_depth + 1) {
      std::string loc = loc_text(reader.get());
      if (!loc.empty()) (entry == "url" ? out.pages : out.sitemaps).push_back(std::move(loc));
    }
  }
  return out;
}

}  // namespace netwarden
