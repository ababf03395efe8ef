// PDF through poppler-cpp: the text layer of every page, laid out as on
// the page (physical layout), so that a table's cells stay apart.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <memory>

#include "probes/attachments/extractors.h"

namespace netwarden::attachment_detail {
namespace {

// A PDF ends with %%EOF in its last 1024 bytes (as Acrobat requires): a
// file without one was cut short in transfer, and poppler's repair would
// read whatever half of it survived as if it were the document.
bool has_end_marker(std::string_view bytes) {
  const std::size_t tail = bytes.size() > 1024 ? bytes.size() - 1024 : 0;
  return bytes.substr(tail).find("%%EOF") != std::string_view::npos;
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

// Poppler reports damage it repairs on stderr; the result says what counts.
void ignore_poppler_message(const std::string& /*message*/, void* /*closure*/) {}

}  // namespace

Result<void> pdf_text(std::string_view bytes, TextSink& sink) {
  if (!bytes.starts_with("%PDF-")) return fail("not a PDF (no %PDF- header)");
  if (!has_end_marker(bytes)) return fail("not a readable PDF: truncated (no %%EOF at the end)");
  if (bytes.size() > INT_MAX) return fail("not a readable PDF: too large");
  poppler::set_debug_error_function(ignore_poppler_message, nullptr);
  const std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) return fail("not a readable PDF: damaged");
  if (document->is_locked()) return fail("not inspected: the PDF needs a password");
  bool any_text = false;
  for (int i = 0; i < document->pages() && !sink.full(); ++i) {
    const std::unique_ptr<poppler::page> page(document->create_page(i));
    if (!page) return fail("not a readable PDF: page " + std::to_string(i + 1) + " is damaged");
    const poppler::byte_array utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
    const std::string_view text(utf8.data(), utf8.size());
    any_text = any_text || !blank(text);
    sink.count_part();
    sink.append(text);
    sink.separate('\n');
  }
  sink.result().image_only = document->pages() > 0 && !any_text;
  return {};
}

}  // namespace netwarden::attachment_detail
