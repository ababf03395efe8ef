// A single-pass HTML scanner: the visible text and the security-relevant
// structure of a page, without building a tree. It follows the HTML
// tokenizer's rules wherever they decide what is visible: comments as
// browsers end them ("-->", "--!>", "<!-->"), bogus comments ("<!x>",
// "<?x>", "</ x>"), script data with its escaped states (the old
// "<script><!-- ... //--></script>" wrapper, a "</script>" inside
// "<!-- <script> ... </script> -->"), the raw-text elements (style, xmp,
// iframe, noembed, noframes, noscript), RCDATA (title, textarea),
// plaintext, template contents (never shown), and CDATA sections inside
// SVG and MathML. It reads any byte string, however malformed, without
// reading past it; memory is bounded by the page's size.
//
// noscript is read as a browser with scripting on reads it (raw text, not
// shown): that is what nearly every visitor sees, and HTML's tokenizer
// state depends on it, so reading it the other way would make a visitor's
// page and ours differ on markup such as "<noscript><!--</noscript>".
#pragma once

#include <string>
#include <string_view>

#include "probes/content/page_events.h"

namespace netwarden::content_detail {

struct ScannedPage {
  // Text outside tags with character references decoded; script, style,
  // iframe, noembed, noframes, noscript, template content, <title> and
  // comments left out; a space where a block element starts or ends;
  // normalised (text_normaliser.h).
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

// `events`, when given, hears every tag, text, script and style in
// document order (page_events.h); without it the scan does no extra work.
ScannedPage scan_html(std::string_view body, std::string_view page_host, PageEvents* events = nullptr);

}  // namespace netwarden::content_detail
