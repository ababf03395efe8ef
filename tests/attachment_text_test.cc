// Attachments' text, read in this process (extract_text): each format's
// leaked file gives its ID numbers to the personal-data finder, each on
// its own; broken and hostile files give an error that says what is wrong.
#include "probes/attachments/extract_text.h"

#include <gtest/gtest.h>

#include "tests/attachment_fixtures.h"

namespace netwarden {
namespace {

using test::attachment;
using test::fixture_ids;
using test::ids_found;
using test::slice;
using Ids = std::vector<std::string>;

ExtractedText read(const std::string& name, AttachmentKind kind) {
  Result<ExtractedText> text = extract_text(attachment(name), kind);
  EXPECT_TRUE(text.has_value()) << name << ": " << (text ? "" : text.error().message);
  return text ? *text : ExtractedText{};
}

std::string error_of(const std::string& name, AttachmentKind kind) {
  Result<ExtractedText> text = extract_text(attachment(name), kind);
  EXPECT_FALSE(text.has_value()) << name << " was read: " << (text ? text->text : "");
  return text ? "" : text.error().message;
}

TEST(AttachmentTextTest, XlsxTextAndNumericCells) {
  const ExtractedText x = read("students.xlsx", AttachmentKind::xlsx);
  const Ids ids = fixture_ids();
  Ids expected;
  for (std::size_t i = 0; i < 3; ++i) expected.insert(expected.end(), {ids[i], ids[3 + i]});
  EXPECT_EQ(ids_found(x.text), expected) << x.text;
  EXPECT_EQ(x.parts, 2);
  EXPECT_NE(x.text.find("身份证号（文本）\t"), std::string::npos) << x.text;  // shared and inline strings
  EXPECT_NE(x.text.find("13800138000"), std::string::npos) << x.text;         // the second sheet
}

TEST(AttachmentTextTest, XlsCellsKeepEveryDigit) {
  const ExtractedText x = read("students.xls", AttachmentKind::xls);
  const Ids ids = fixture_ids();
  EXPECT_EQ(ids_found(x.text), (Ids{ids[0], ids[3], ids[1], ids[4], ids[2], ids[5]})) << x.text;
  EXPECT_EQ(x.parts, 1);
}

TEST(AttachmentTextTest, DocxParagraphsAndTable) {
  const ExtractedText x = read("admitted.docx", AttachmentKind::docx);
  EXPECT_EQ(ids_found(x.text), slice(fixture_ids(), 6, 3)) << x.text;
  EXPECT_NE(x.text.find("录取名单（内部资料）\n"), std::string::npos) << x.text;
  EXPECT_NE(x.text.find("考生\t" + fixture_ids()[7] + "\n"), std::string::npos) << x.text;  // a row a line
}

TEST(AttachmentTextTest, PdfPagesWithChineseText) {
  const ExtractedText x = read("report.pdf", AttachmentKind::pdf);
  EXPECT_EQ(ids_found(x.text), slice(fixture_ids(), 9, 3)) << x.text;
  EXPECT_NE(x.text.find("贫困生资助名单"), std::string::npos) << x.text;
  EXPECT_EQ(x.parts, 2);
  EXPECT_FALSE(x.image_only);
  EXPECT_EQ(not_inspected_reason(x), "");
}

TEST(AttachmentTextTest, PptxSlidesInOrder) {
  const ExtractedText x = read("slides.pptx", AttachmentKind::pptx);
  EXPECT_EQ(ids_found(x.text), slice(fixture_ids(), 0, 3)) << x.text;
  EXPECT_LT(x.text.find("第二页"), x.text.find("第十页")) << x.text;  // slide2 before slide10
  EXPECT_EQ(x.parts, 3);
}

TEST(AttachmentTextTest, CsvInGb18030) {
  const ExtractedText x = read("students.csv", AttachmentKind::csv);
  EXPECT_EQ(ids_found(x.text), slice(fixture_ids(), 0, 3)) << x.text;
  EXPECT_TRUE(x.text.starts_with("姓名,身份证号")) << x.text;
}

TEST(AttachmentTextTest, ScannedPdfIsNotInspected) {
  const ExtractedText x = read("scan.pdf", AttachmentKind::pdf);
  EXPECT_TRUE(x.image_only);
  EXPECT_EQ(x.parts, 1);
  EXPECT_EQ(not_inspected_reason(x), "not inspected: scanned (no text layer)");
}

TEST(AttachmentTextTest, BrokenAndHostileFiles) {
  EXPECT_EQ(error_of("truncated.pdf", AttachmentKind::pdf), "not a readable PDF: truncated (no %%EOF at the end)");
  EXPECT_EQ(error_of("bomb.xlsx", AttachmentKind::xlsx),
            "zip bomb: entry xl/worksheets/sheet1.xml expands to more than 256 MiB");
  // Its headers claim 4 KiB: the bytes are counted as they inflate.
  EXPECT_EQ(error_of("lying_bomb.xlsx", AttachmentKind::xlsx),
            "zip bomb: entry xl/worksheets/sheet1.xml expands to more than 256 MiB");
  EXPECT_EQ(error_of("malformed.docx", AttachmentKind::docx),
            "malformed XML in word/document.xml: line 1: Opening and ending tag mismatch: t line 1 and body");
  EXPECT_EQ(error_of("minutes.doc", AttachmentKind::doc),
            "not inspected: .doc (Word 97-2003) is not read; save as .docx");
  EXPECT_EQ(error_of("report.pdf", AttachmentKind::docx), "not a DOCX: not a readable zip archive (Not a zip archive)");
  EXPECT_EQ(error_of("students.xlsx", AttachmentKind::pdf), "not a PDF (no %PDF- header)");
  EXPECT_EQ(error_of("admitted.docx", AttachmentKind::xlsx), "not an XLSX: no xl/worksheets/sheet1.xml");
  EXPECT_EQ(error_of("students.csv", AttachmentKind::xls).rfind("not a readable XLS", 0), 0u);
}

TEST(AttachmentTextTest, TextIsCappedAtACharacterBoundary) {
  const std::string text = "身份证号 " + fixture_ids()[0];
  Result<ExtractedText> capped = extract_text(text, AttachmentKind::text, 7);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(capped->text, "身份");  // 6 bytes: the third character would not fit whole
  EXPECT_TRUE(capped->truncated);
  Result<ExtractedText> whole = extract_text(text, AttachmentKind::text, text.size());
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->text, text);
  EXPECT_FALSE(whole->truncated);
}

}  // namespace
}  // namespace netwarden
