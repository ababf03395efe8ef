// The regions of a page a target watches, chosen by XPath 1.0 over the page
// as libxml2's HTML parser repairs it.
//
// Parsing a page into a tree is the costly part of a check (about 170 µs for
// 20 KB), so this is used only for targets that name regions. select_text()
// may run on several threads at once: each call has its own document and
// XPath context.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden::content_detail {

class XPathRegions {
 public:
  // The error quotes the first expression libxml2 cannot compile.
  static Result<XPathRegions> compile(std::vector<std::string> expressions);

  // The text of the nodes each expression selects, expression by expression
  // and in document order within one, script, style, template, iframe,
  // noscript, noframes and noembed content left out and block elements separated by spaces. Not yet normalised.
  // `converted`: the body is UTF-8 whatever its <meta> says (charset.h
  // decoded it).
  std::string select_text(std::string_view body, std::string_view page_url, bool converted = false) const;

 private:
  std::vector<std::string> expressions_;
};

}  // namespace netwarden::content_detail
