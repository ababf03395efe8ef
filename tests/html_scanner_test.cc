// The page scanner against HTML's tokenizer rules, one rule per row: what
// a browser shows is what the scanner's text must hold, and what it hides
// must not leak into it.
#include "probes/content/html_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "probes/content/charset.h"
#include "probes/content/content_digest.h"
#include "probes/content/html_entities.h"

namespace netwarden::content_detail {
namespace {

struct Row {
  const char* rule;
  std::string html;
  std::string text;
};

std::string text_of(std::string_view html) { return scan_html(html, "www.example.edu.cn").text; }

void expect_rows(const std::vector<Row>& rows) {
  for (const Row& row : rows) EXPECT_EQ(text_of(row.html), row.text) << row.rule << ": " << row.html;
}

TEST(HtmlScannerTest, Comments) {
  expect_rows({
      {"plain", "a<!-- x -->b", "ab"},
      {"bang close", "a<!-- x --!>b<p>c", "ab c"},
      {"closes itself", "a<!-->b", "ab"},
      {"closes itself with a dash", "a<!--->b", "ab"},
      {"empty", "a<!---->b", "ab"},
      {"extra dashes", "a<!-- x --->b", "ab"},
      {"bang then dashes", "a<!-- x --!-->b", "ab"},
      {"'-!>' does not close", "a<!-- x -!> y -->b", "ab"},
      {"'-- >' does not close", "a<!-- x -- > y -->b", "ab"},
      {"unclosed hides the rest", "a<!-- x", "a"},
      {"bogus with !", "a<!x y>b", "ab"},
      {"doctype", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">a", "a"},
      {"processing instruction", "a<?xml version=\"1.0\"?>b", "ab"},
      {"end tag with a space", "a</ x>b", "ab"},
      {"bogus ends at first >", "a<!x -->b-->c", "ab-->c"},
      {"</> is dropped", "a</>b", "ab"},
      {"CDATA outside SVG is a bogus comment", "a<![CDATA[x]]>b", "ab"},
      {"lone <", "a < b <3 <", "a < b <3 <"},
      {"a stray end tag is dropped", "cas</div>ino <div>a</div>b", "casino a b"},
      {"</p> and </br> count even stray", "a</p>b</br>c", "a b c"},
      {"</ at the end", "a</", "a</"},
  });
}

TEST(HtmlScannerTest, ScriptData) {
  expect_rows({
      {"plain", "a<script>var x = '<p>no</p>';</script>b", "a b"},
      {"old wrapper", "a<script><!--\nvar x = 1; // -->\n</script>b", "a b"},
      {"wrapper with written script", "a<script><!--\ndocument.write('<script src=x.js></script>');\n//--></script>b",
       "a b"},
      {"double escaped: the inner end tag does not end the script",
       "a<script><!-- document.write('<script>x</script>'); --></script>b", "a b"},
      {"back in the escape, the next end tag does", "a<script><!-- <script> x </script> y </script> z --></script>b",
       "a z -->b"},
      {"escaped ends at </script>", "a<script><!-- x </script>b", "a b"},
      {"<!--> leaves the escape at once", "a<script><!--> <script></script>b", "a b"},
      {"not a script end tag", "a<script>x</scripts></script>b", "a b"},
      {"case and attributes", "a<script>x</SCRIPT foo=bar>b", "a b"},
      {"unclosed hides the rest", "a<script>x", "a"},
      {"<script/ >", "a<script/>x</script>b", "a b"},
  });
}

TEST(HtmlScannerTest, RawTextAndRcdata) {
  expect_rows({
      {"style", "a<style>p::after { content: '</p>x' }</style>b", "a b"},
      {"xmp shown as written", "<xmp><b>&amp;</b></xmp>", "<b>&amp;</b>"},
      {"iframe content", "a<iframe src=x><p>fallback</p></iframe>b", "a b"},
      {"noembed", "a<noembed>x</noembed>b", "a b"},
      {"noframes", "a<noframes><p>x</p></noframes>b", "a b"},
      {"noscript is raw text with scripting on", "a<noscript><!--</noscript>b", "a b"},
      {"textarea decodes references", "<textarea>&lt;b&gt; <!-- x --></textarea>", "<b> <!-- x -->"},
      {"title is not text", "<title>T &amp; <b></title>a", "a"},
      {"plaintext to the end", "a<plaintext></plaintext><b>&amp;", "a </plaintext><b>&amp;"},
  });
}

TEST(HtmlScannerTest, TemplateAndForeignContent) {
  expect_rows({
      {"template", "a<template><p>x</p><template>y</template>z</template>b", "a b"},
      {"svg text", "<svg><text>a</text></svg>", "a"},
      {"CDATA in svg is text", "<svg><text><![CDATA[a<b>&amp;]]></text></svg>c", "a<b>&amp;c"},
      {"CDATA in math", "<math><mi><![CDATA[x]]></mi></math>", "x"},
      {"CDATA after svg ends", "<svg></svg><![CDATA[x]]>y", "y"},
      {"a breakout tag leaves svg", "<svg><p>a<![CDATA[x]]>b", "ab"},
      {"title in svg is text", "<svg><title>a &amp; b</title></svg>", "a & b"},
      {"template in svg is an ordinary element", "<svg><template>a</template></svg>", "a"},
      {"style in svg is not drawn", "<svg><style>.a{}</style></svg>b", "b"},
  });
}

TEST(HtmlScannerTest, CharacterReferences) {
  expect_rows({
      {"legacy nbsp (a space once normalised)", "a&nbspb", "a b"},
      {"legacy copy", "&copy2026 x",
       "\xC2\xA9"
       "2026 x"},
      {"legacy amp lt gt", "&amp &lt &gt", "& < >"},
      {"longest legacy prefix", "&notit; &notin;", "\xC2\xACit; \xE2\x88\x89"},
      {"not legacy: needs ;", "&hellip &hellip;", "&hellip \xE2\x80\xA6"},
      {"full table", "&CounterClockwiseContourIntegral; &NotNestedGreaterGreater;",
       "\xE2\x88\xB3 \xE2\xAA\xA2\xCC\xB8"},
      {"unknown", "&bogus; &;", "&bogus; &;"},
      {"windows-1252", "&#150; &#128; &#x99;", "\xE2\x80\x93 \xE2\x82\xAC \xE2\x84\xA2"},
      {"unmapped C1 stays", "&#129;", "\xC2\x81"},
      {"zero, surrogate, too large", "&#0; &#xD800; &#x110000; &#99999999999;",
       "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
      {"no digits", "&#; &#x; &#xg;", "&#; &#x; &#xg;"},
  });
}

TEST(HtmlScannerTest, AttributeReferences) {
  std::string out;
  append_decoded(out, "?a=1&copy=2&amp;x&notb&lt;", ReferenceContext::attribute);
  EXPECT_EQ(out, "?a=1&copy=2&x&notb<");
  out.clear();
  append_decoded(out, "&copy &copy", ReferenceContext::attribute);
  EXPECT_EQ(out, "\xC2\xA9 \xC2\xA9");
  const ScannedPage page = scan_html("<a href=\"https://evil.example/?x=1&copy=2&amp;y\">l</a>", "www.example.edu.cn");
  EXPECT_EQ(page.structure, "external-link: https://evil.example/?x=1&copy=2&y");
}

TEST(HtmlScannerTest, StructureStillRead) {
  const ScannedPage page = scan_html(
      "<title>A</title><script src=/a.js></script><iframe src=\"https://x.example/\"></iframe>"
      "<!-- x --!><a href=https://y.example/>y</a>",
      "www.example.edu.cn");
  EXPECT_EQ(page.structure, "title: A\nscript: /a.js\niframe: https://x.example/\nexternal-link: https://y.example/");
}

TEST(HtmlScannerTest, NeverReadsPastTheEnd) {
  // Every prefix of a page full of constructs that look ahead.
  const std::string page =
      "<!DOCTYPE html><!--a--!><!--><svg><![CDATA[x]]></svg><script><!--<script></script>--></script>"
      "<a href='&copy=1&#x99;' b=c/><textarea>&notin</textarea><xmp>x</xmp><plaintext>&amp";
  for (std::size_t n = 0; n <= page.size(); ++n) {
    const std::string copy = page.substr(0, n);  // its own allocation, so ASan sees an overrun
    scan_html(copy, "h");
  }
}

struct Recorded : PageEvents {
  std::vector<std::string> log;
  void start_tag(std::string_view name, std::span<const TagAttribute> attributes, bool self_closing) override {
    std::string line = "<" + std::string(name);
    for (const TagAttribute& a : attributes) line += " " + std::string(a.name) + "=[" + std::string(a.value) + "]";
    log.push_back(line + (self_closing ? "/>" : ">"));
  }
  void end_tag(std::string_view name) override { log.push_back("</" + std::string(name) + ">"); }
  void text(std::string_view decoded) override { log.push_back("text " + std::string(decoded)); }
  void script(std::string_view source) override { log.push_back("script " + std::string(source)); }
  void style(std::string_view css) override { log.push_back("style " + std::string(css)); }
};

TEST(HtmlScannerTest, EventsInDocumentOrder) {
  Recorded events;
  scan_html(
      "<DIV Class=\"a&amp;b\" class=dup STYLE='x'>A&nbsp;B<BR><img src=i.png/></div>"
      "<script><!--\nvar s = 1;\n//--></script><style>p{}</style><template>t</template>",
      "h", &events);
  const std::vector<std::string> expected = {
      "<div class=[a&b] style=[x]>",
      "text A\xC2\xA0"
      "B",
      "<br/>",
      "<img src=[i.png/]/>",
      "</div>",
      "<script>",
      "script var s = 1;",
      "</script>",
      "<style>",
      "style p{}",
      "</style>",
      "<template>",
      "</template>",
  };
  EXPECT_EQ(events.log, expected);
}

TEST(HtmlScannerTest, SelfClosingWrittenOrVoid) {
  Recorded events;
  scan_html("<span/><input><p / >", "h", &events);
  EXPECT_EQ(events.log, (std::vector<std::string>{"<span/>", "<input/>", "<p>"}));
}

TEST(CharsetTest, LabelsMapAsBrowsersDo) {
  EXPECT_EQ(encoding_for_label(" GB2312 "), "gbk");
  EXPECT_EQ(encoding_for_label("x-gbk"), "gbk");
  EXPECT_EQ(encoding_for_label("big5"), "big5");
  EXPECT_EQ(encoding_for_label("Latin1"), "windows-1252");
  EXPECT_EQ(encoding_for_label("us-ascii"), "windows-1252");
  EXPECT_EQ(encoding_for_label("utf-16"), "utf-16le");
  EXPECT_EQ(encoding_for_label("hz-gb-2312"), "replacement");
  EXPECT_EQ(encoding_for_label("x-klingon"), std::nullopt);
  EXPECT_EQ(content_type_charset("text/html; Charset=\"GBK\"; x=y"), "GBK");
  EXPECT_EQ(content_type_charset("text/html;charset=big5"), "big5");
  EXPECT_EQ(content_type_charset("text/html"), "");
}

constexpr std::string_view kUrl = "https://www.example.edu.cn/";
// "网上赌博" in GBK and in Big5 (網上賭博).
const std::string kGbk = "\xCD\xF8\xC9\xCF\xB6\xC4\xB2\xA9";
const std::string kBig5 = "\xBA\xF4\xA4\x57\xBD\xE4\xB3\xD5";

ContentDigest analyze(std::string_view body, std::string_view content_type) {
  return ContentAnalyzer::create({})->analyze(body, kUrl, content_type);
}

TEST(CharsetTest, GbkWithCharsetOnlyInTheHeader) {
  const ContentDigest d = analyze("<p>" + kGbk + "</p>", "text/html; charset=gbk");
  EXPECT_EQ(d.text, "网上赌博");
  EXPECT_EQ(d.blind_spot, "");
}

TEST(CharsetTest, HeaderBeatsMeta) {
  EXPECT_EQ(analyze("<meta charset=gbk><p>" + kBig5 + "</p>", "text/html; charset=big5").text, "網上賭博");
  EXPECT_EQ(analyze("<meta charset=big5><p>" + kBig5 + "</p>", "text/html").text, "網上賭博");
}

std::string utf16(std::u16string_view text, bool big_endian) {
  std::string out;
  for (char16_t c : text) {
    const auto high = static_cast<char>(c >> 8);
    const auto low = static_cast<char>(c & 0xFF);
    out += big_endian ? high : low;
    out += big_endian ? low : high;
  }
  return out;
}

TEST(CharsetTest, ByteOrderMarksFirst) {
  EXPECT_EQ(analyze("\xFF\xFE" + utf16(u"<p>网上赌博</p>", false), "text/html; charset=gbk").text, "网上赌博");
  EXPECT_EQ(analyze("\xFE\xFF" + utf16(u"<p>赌博</p>", true), "").text, "赌博");
  EXPECT_EQ(analyze("\xEF\xBB\xBF<p>赌博</p>", "text/html; charset=gbk").text, "赌博");
}

TEST(CharsetTest, Utf16FromTheHeaderWithoutBom) {
  EXPECT_EQ(analyze(utf16(u"<p>赌博</p>", false), "text/html; charset=utf-16").text, "赌博");
  EXPECT_EQ(analyze(utf16(u"<p>赌博</p>", true), "text/html; charset=utf-16be").text, "赌博");
}

TEST(CharsetTest, UndecodableIsABlindSpot) {
  EXPECT_EQ(analyze("<p>" + kGbk + "</p>", "text/html; charset=x-klingon").blind_spot,
            "charset_undecodable: x-klingon");
  EXPECT_EQ(analyze("<meta charset=hz-gb-2312><p>" + kGbk + "</p>", "").blind_spot, "charset_undecodable: hz-gb-2312");
  // ASCII reads the same in any encoding: nothing is hidden.
  EXPECT_EQ(analyze("<p>plain</p>", "text/html; charset=x-klingon").blind_spot, "");
}

}  // namespace
}  // namespace netwarden::content_detail
