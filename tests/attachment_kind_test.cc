// Which links are attachments and of what kind; numbers in cells as
// digits; the child's answer frame read back, and garbled ones refused.
#include "probes/attachments/attachment_kind.h"

#include <gtest/gtest.h>

#include "probes/attachments/extract_frame.h"
#include "probes/attachments/number_text.h"

namespace netwarden {
namespace {

using attachment_detail::plain_decimal;
using attachment_detail::plain_double;

TEST(AttachmentKindTest, ByExtensionThenContentType) {
  EXPECT_EQ(attachment_kind("https://www.example.edu.cn/files/名单.XLSX?download=1#top", ""), AttachmentKind::xlsx);
  EXPECT_EQ(attachment_kind("http://example.edu.cn/a/b.Pdf", "text/html"), AttachmentKind::pdf);
  EXPECT_EQ(attachment_kind("/notice/2026.docx", ""), AttachmentKind::docx);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/download?id=7", "application/pdf; name=x"), AttachmentKind::pdf);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/download?id=7", "Application/VND.MS-Excel"), AttachmentKind::xls);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/list.csv", ""), AttachmentKind::csv);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/readme.txt", ""), AttachmentKind::text);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/old.doc", ""), AttachmentKind::doc);
  EXPECT_EQ(attachment_kind("https://example.edu.cn/index.html", "text/html"), AttachmentKind::other);
  // The host's dots are not an extension.
  EXPECT_EQ(attachment_kind("https://files.pdf", ""), AttachmentKind::other);
  EXPECT_EQ(to_string(AttachmentKind::pptx), "pptx");
  EXPECT_EQ(to_string(AttachmentKind::other), "other");
}

TEST(AttachmentKindTest, AttachmentUrlsByExtensionOnly) {
  for (const char* url : {"https://a.cn/x.pdf", "https://a.cn/x.DOCX", "https://a.cn/x.xlsx?v=2", "https://a.cn/x.pptx",
                          "https://a.cn/x.xls", "https://a.cn/x.csv", "https://a.cn/x.txt", "https://a.cn/x.doc"}) {
    EXPECT_TRUE(is_attachment_url(url)) << url;
  }
  for (const char* url : {"https://a.cn/", "https://a.cn/x.html", "https://a.cn/pdf", "https://a.cn/x.pdf/",
                          "https://a.cn/?f=x.pdf", "https://a.cn/x.zip"}) {
    EXPECT_FALSE(is_attachment_url(url)) << url;
  }
}

TEST(AttachmentKindTest, CellNumbersWithoutExponent) {
  EXPECT_EQ(plain_decimal("1.10105199001011234E+17"), "110105199001011234");
  EXPECT_EQ(plain_decimal("1.10105199001011234e17"), "110105199001011234");
  // Excel keeps 15 digits: the rest were lost when typed.
  EXPECT_EQ(plain_decimal("1.10105199001011E+17"), "110105199001011000");
  // 17 digits: the shortest text of a double, which holds 440306198503150848.
  EXPECT_EQ(plain_decimal("4.4030619850315085e+17"), "440306198503150848");
  EXPECT_EQ(plain_decimal("13800138000"), "13800138000");
  EXPECT_EQ(plain_decimal("-1.5e-3"), "-0.0015");
  EXPECT_EQ(plain_decimal("2.50E+2"), "250");
  EXPECT_EQ(plain_decimal("e5"), "e5");
  EXPECT_EQ(plain_decimal("1.2e+99999"), "1.2e+99999");
  EXPECT_EQ(plain_double(110105199001028800.0), "110105199001028800");
  EXPECT_EQ(plain_double(13800138000.0), "13800138000");
  EXPECT_EQ(plain_double(0.1), "0.1");
  EXPECT_EQ(plain_double(-2.5), "-2.5");
}

TEST(AttachmentKindTest, FramesRoundTripAndGarbledOnesAreRefused) {
  using namespace attachment_detail;
  ExtractedText text{"a\tb\n", true, 3, true};
  const std::optional<Result<ExtractedText>> back = decode_frame(encode_frame(text));
  ASSERT_TRUE(back && back->has_value());
  EXPECT_EQ((*back)->text, "a\tb\n");
  EXPECT_TRUE((*back)->image_only);
  EXPECT_EQ((*back)->parts, 3);
  EXPECT_TRUE((*back)->truncated);
  const std::optional<Result<ExtractedText>> error = decode_frame(encode_frame(fail("zip bomb: x")));
  ASSERT_TRUE(error && !error->has_value());
  EXPECT_EQ(error->error().message, "zip bomb: x");
  for (const char* garbled : {"", "hello", "ok 1 0 0 5\nabc", "ok 1 0 0 2\nabc", "ok 1 2 0 0\n", "error x\n",
                              "ok 1 0 0\n", "ok 1 0 0 0 0\n", "Error opening file\nok 1 0 0 0\n"}) {
    EXPECT_FALSE(decode_frame(garbled)) << garbled;
  }
}

}  // namespace
}  // namespace netwarden
