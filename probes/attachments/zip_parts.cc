#include "probes/attachments/zip_parts.h"

#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include <algorithm>

namespace netwarden::attachment_detail {
namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

std::string bomb(const std::string& name) {
  return "zip bomb: entry " + name + " expands to more than " + mib(kMaxInflated);
}

// One part being inflated into the XML reader.
struct PartStream {
  zip_file_t* file;
  std::uint64_t& inflated;
  bool over = false;
  bool failed = false;
};

int read_part(void* context, char* buffer, int length) {
  auto* stream = static_cast<PartStream*>(context);
  const zip_int64_t n = zip_fread(stream->file, buffer, static_cast<zip_uint64_t>(length));
  if (n < 0) {
    stream->failed = true;
    return -1;
  }
  stream->inflated += static_cast<std::uint64_t>(n);
  if (stream->inflated > kMaxInflated) {
    stream->over = true;
    return -1;
  }
  return static_cast<int>(n);
}

void keep_first_error(void* context, xmlErrorPtr error) {
  auto* first = static_cast<std::string*>(context);
  if (!first->empty() || error == nullptr || error->message == nullptr) return;
  *first = "line " + std::to_string(error->line) + ": " + error->message;
  while (!first->empty() && first->back() == '\n') first->pop_back();
}

std::string_view view(const xmlChar* text) {
  return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text));
}

// Hands the reader's current node to the handler.
void dispatch(xmlTextReaderPtr reader, const XmlHandler& handler) {
  const int type = xmlTextReaderNodeType(reader);
  const std::string_view name = view(xmlTextReaderConstLocalName(reader));
  if (type == XML_READER_TYPE_ELEMENT) {
    xmlChar* cell_type = xmlTextReaderGetAttribute(reader, reinterpret_cast<const xmlChar*>("t"));
    handler({XmlEvent::start, name, view(cell_type)});
    xmlFree(cell_type);
    if (xmlTextReaderIsEmptyElement(reader) == 1) handler({XmlEvent::end, name, {}});
  } else if (type == XML_READER_TYPE_END_ELEMENT) {
    handler({XmlEvent::end, name, {}});
  } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
             type == XML_READER_TYPE_CDATA) {
    handler({XmlEvent::text, {}, view(xmlTextReaderConstValue(reader))});
  }
}

}  // namespace

struct ZipParts::Impl {
  zip_t* archive = nullptr;
  std::vector<std::string> names;
  std::uint64_t inflated = 0;

  ~Impl() {
    if (archive != nullptr) zip_discard(archive);
  }
};

ZipParts::ZipParts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipParts::~ZipParts() = default;
ZipParts::ZipParts(ZipParts&&) noexcept = default;

Result<ZipParts> ZipParts::open(std::string_view bytes, std::string_view format) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  auto impl = std::make_unique<Impl>();
  if (source != nullptr) {
    impl->archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (impl->archive == nullptr) zip_source_free(source);
  }
  if (impl->archive == nullptr) {
    std::string message =
        "not a " + std::string(format) + ": not a readable zip archive (" + zip_error_strerror(&error) + ")";
    zip_error_fini(&error);
    return fail(std::move(message));
  }
  zip_error_fini(&error);
  const zip_int64_t count = zip_get_num_entries(impl->archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(impl->archive, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) impl->names.emplace_back(name);
  }
  return ZipParts(std::move(impl));
}

std::vector<std::string> ZipParts::numbered(std::string_view prefix, std::string_view suffix) const {
  std::vector<std::string> found;
  for (const std::string& name : impl_->names) {
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    const std::string_view number =
        std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) found.push_back(name);
  }
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return found;
}

bool ZipParts::has(const std::string& name) const {
  return std::find(impl_->names.begin(), impl_->names.end(), name) != impl_->names.end();
}

Result<void> ZipParts::read_xml(const std::string& name, const XmlHandler& handler) {
  zip_stat_t stat;
  if (zip_stat(impl_->archive, name.c_str(), 0, &stat) != 0) return fail("cannot read " + name + " in the archive");
  // The size the archive declares, before inflating anything.
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > kMaxInflated - impl_->inflated) return fail(bomb(name));
  zip_file_t* file = zip_fopen(impl_->archive, name.c_str(), 0);
  if (file == nullptr) return fail("cannot read " + name + ": " + zip_strerror(impl_->archive));
  PartStream stream{file, impl_->inflated};
  // No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
  // network, and libxml2's own limits (no XML_PARSE_HUGE).
  xmlTextReaderPtr reader = xmlReaderForIO(read_part, nullptr, &stream, name.c_str(), nullptr,
                                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (reader == nullptr) {
    zip_fclose(file);
    return fail("cannot read " + name);
  }
  std::string first_error;
  xmlTextReaderSetStructuredErrorHandler(reader, keep_first_error, &first_error);
  int rc = 0;
  while ((rc = xmlTextReaderRead(reader)) == 1) dispatch(reader, handler);
  xmlFreeTextReader(reader);
  zip_fclose(file);
  if (stream.over) return fail(bomb(name));
  if (stream.failed) return fail("cannot inflate " + name + ": damaged archive");
  if (rc != 0) return fail("malformed XML in " + name + (first_error.empty() ? "" : ": " + first_error));
  return {};
}

}  // namespace netwarden::attachment_detail
