// DOCX, XLSX and PPTX: only the parts that hold text. Word's body, headers
// and footers (<w:t> runs, paragraphs, table cells); Excel's shared strings
// and every sheet's cells (strings looked up, numbers as digits); each
// slide's <a:t> runs.
#include <charconv>

#include "probes/attachments/extractors.h"
#include "probes/attachments/number_text.h"
#include "probes/attachments/zip_parts.h"

namespace netwarden::attachment_detail {
namespace {

// Word and PowerPoint share DrawingML's and WordprocessingML's shape: text
// in <t>, paragraphs <p>, tables' rows <tr> and cells <tc>, <tab/> and
// <br/>. A table's row is one line, its cells (and their paragraphs) apart
// by tabs.
XmlHandler runs_into(TextSink& sink) {
  struct State {
    bool inside = false;
    int cells = 0;  // open <tc>, nested tables included
  };
  return [&sink, state = State()](const XmlEvent& e) mutable {
    if (e.type == XmlEvent::text) {
      if (state.inside) sink.append(e.value);
    } else if (e.name == "t") {
      state.inside = e.type == XmlEvent::start;
    } else if (e.name == "tc") {
      state.cells += e.type == XmlEvent::start ? 1 : -1;
      if (e.type == XmlEvent::end) sink.separate('\t');
    } else if (e.type == XmlEvent::end && e.name == "p") {
      sink.separate(state.cells > 0 ? '\t' : '\n');
    } else if (e.type == XmlEvent::end && (e.name == "tr" || e.name == "br" || e.name == "cr")) {
      sink.separate('\n');
    } else if (e.type == XmlEvent::end && e.name == "tab") {
      sink.separate('\t');
    }
  };
}

Result<void> read_runs(ZipParts& zip, const std::vector<std::string>& parts, TextSink& sink) {
  for (const std::string& part : parts) {
    if (sink.full()) break;
    if (Result<void> read = zip.read_xml(part, runs_into(sink)); !read) return read;
    sink.count_part();
    sink.separate('\n');
  }
  return {};
}

Result<void> docx_text(ZipParts& zip, TextSink& sink) {
  const std::string body = "word/document.xml";
  if (!zip.has(body)) return fail("not a DOCX: no " + body);
  std::vector<std::string> parts = zip.numbered("word/header", ".xml");
  parts.push_back(body);
  for (std::string& footer : zip.numbered("word/footer", ".xml")) parts.push_back(std::move(footer));
  return read_runs(zip, parts, sink);
}

Result<void> pptx_text(ZipParts& zip, TextSink& sink) {
  const std::vector<std::string> slides = zip.numbered("ppt/slides/slide", ".xml");
  if (slides.empty()) return fail("not a PPTX: no ppt/slides/slide1.xml");
  return read_runs(zip, slides, sink);
}

// Each <si> of xl/sharedStrings.xml, its <t> runs joined (phonetic
// readings, <rPh>, left out).
Result<std::vector<std::string>> shared_strings(ZipParts& zip) {
  std::vector<std::string> strings;
  const std::string part = "xl/sharedStrings.xml";
  if (!zip.has(part)) return strings;
  std::string current;
  bool inside = false;
  bool phonetic = false;
  Result<void> read = zip.read_xml(part, [&](const XmlEvent& e) {
    if (e.type == XmlEvent::text) {
      if (inside && !phonetic && current.size() < kMaxInflated) current.append(e.value);
    } else if (e.name == "t") {
      inside = e.type == XmlEvent::start;
    } else if (e.name == "rPh") {
      phonetic = e.type == XmlEvent::start;
    } else if (e.name == "si" && e.type == XmlEvent::end) {
      strings.push_back(std::move(current));
      current.clear();
    }
  });
  if (!read) return std::unexpected(read.error());
  return strings;
}

// A cell's value as text: shared strings looked up, numbers as digits.
std::string cell_text(std::string_view type, std::string_view value, const std::vector<std::string>& strings) {
  if (type == "s") {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    const bool valid = ec == std::errc() && end == value.data() + value.size() && index < strings.size();
    return valid ? strings[index] : std::string();
  }
  if (type.empty() || type == "n") return plain_decimal(value);
  return std::string(value);  // str, inlineStr, b, e: as written
}

XmlHandler cells_into(TextSink& sink, const std::vector<std::string>& strings) {
  struct Cell {
    std::string type;
    std::string value;
    bool inside = false;
  };
  return [&sink, &strings, cell = Cell()](const XmlEvent& e) mutable {
    if (e.type == XmlEvent::text) {
      if (cell.inside && cell.value.size() < kMaxInflated) cell.value.append(e.value);
    } else if (e.name == "v" || e.name == "t") {
      cell.inside = e.type == XmlEvent::start;
    } else if (e.name == "c" && e.type == XmlEvent::start) {
      cell = Cell{std::string(e.value), {}, false};
    } else if (e.name == "c") {
      sink.append(cell_text(cell.type, cell.value, strings));
      sink.separate('\t');
    } else if (e.name == "row" && e.type == XmlEvent::end) {
      sink.separate('\n');
    }
  };
}

Result<void> xlsx_text(ZipParts& zip, TextSink& sink) {
  const std::vector<std::string> sheets = zip.numbered("xl/worksheets/sheet", ".xml");
  if (sheets.empty()) return fail("not an XLSX: no xl/worksheets/sheet1.xml");
  Result<std::vector<std::string>> strings = shared_strings(zip);
  if (!strings) return std::unexpected(strings.error());
  for (const std::string& sheet : sheets) {
    if (sink.full()) break;
    if (Result<void> read = zip.read_xml(sheet, cells_into(sink, *strings)); !read) return read;
    sink.count_part();
    sink.separate('\n');
  }
  return {};
}

}  // namespace

Result<void> ooxml_text(std::string_view bytes, AttachmentKind kind, TextSink& sink) {
  const std::string_view format = kind == AttachmentKind::docx   ? "DOCX"
                                  : kind == AttachmentKind::xlsx ? "XLSX"
                                                                 : "PPTX";
  Result<ZipParts> zip = ZipParts::open(bytes, format);
  if (!zip) return std::unexpected(zip.error());
  if (kind == AttachmentKind::docx) return docx_text(*zip, sink);
  if (kind == AttachmentKind::xlsx) return xlsx_text(*zip, sink);
  return pptx_text(*zip, sink);
}

}  // namespace netwarden::attachment_detail
