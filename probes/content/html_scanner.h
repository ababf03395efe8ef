// A single-pass HTML scanner: the visible text and the security-relevant
// structure of a page, without building a tree. It follows the HTML
// tokenizer's rules where they matter for those two (quoted and unquoted
// attributes, comments, raw-text elements such as <script>), and reads any
// byte string, however malformed, without reading past it.
#pragma once

#include <string>
#include <string_view>

namespace netwarden::content_detail {

struct ScannedPage {
  // Text outside tags with character references decoded, <script>,
  // <style>, <iframe> content and comments left out, a space where a block
  // element starts or ends; normalised (text_normaliser.h).
  std::string text;
  // One item per line in document order ("title: ...", "meta name=...
  // content=...", "script: SRC", "iframe: SRC", "external-link: URL"),
  // each value decoded and normalised. Links are the href of <a>, <area>,
  // <link> and <base> whose host differs from page_host.
  std::string structure;
  // The encoding a <meta charset> or <meta http-equiv=content-type>
  // declares, as written; empty if none does.
  std::string charset;
};

ScannedPage scan_html(std::string_view body, std::string_view page_host);

}  // namespace netwarden::content_detail
