#define PCRE2_CODE_UNIT_WIDTH 8
#include "config/value_checks.h"

#include "common/text_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <pcre2.h>

namespace netwarden::config_detail {
namespace {

std::string trim_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<void> check_xpath(std::string_view expression) {
  xmlInitParser();
  // Without a context, libxml2 reports through the (thread-local)
  // structured handler; borrow it for the call to capture the first error
  // instead of printing it to stderr.
  struct Captured {
    std::string message;
    int offset = -1;
  } captured;
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void* saved_context = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc(&captured, [](void* context, xmlErrorPtr error) {
    auto* out = static_cast<Captured*>(context);
    if (out->offset >= 0 || !error) return;
    out->message = error->message ? trim_newline(error->message) : "";
    out->offset = error->int1;
  });
  std::string text(expression);
  xmlXPathCompExprPtr compiled = xmlXPathCompile(reinterpret_cast<const xmlChar*>(text.c_str()));
  xmlSetStructuredErrorFunc(saved_context, saved_handler);
  if (compiled) {
    xmlXPathFreeCompExpr(compiled);
    return {};
  }
  std::string reason = captured.message.empty() ? "syntax error" : captured.message;
  return fail("\"" + text + "\" is not a valid XPath expression: " + reason + " at offset " +
              std::to_string(std::max(captured.offset, 0)));
}

Result<void> check_regex(std::string_view pattern) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                       PCRE2_UTF | PCRE2_UCP, &code, &offset, nullptr);
  if (compiled) {
    pcre2_code_free(compiled);
    return {};
  }
  PCRE2_UCHAR message[256];
  pcre2_get_error_message(code, message, sizeof message);
  return fail("\"" + std::string(pattern) + "\" is not a valid regular expression: " +
              reinterpret_cast<const char*>(message) + " at offset " + std::to_string(offset));
}

Result<void> check_readable_file(const std::string& path) {
  // Reading the whole file is the simplest honest test of "readable"; CA
  // files and keyword lists are small.
  Result<std::string> content = read_text_file(path);
  if (!content) return fail("cannot read '" + path + "': " + content.error().message);
  return {};
}

Result<void> check_keyword_file(const std::string& path) {
  Result<std::string> content = read_text_file(path);
  if (!content) return fail("cannot read '" + path + "': " + content.error().message);
  if (std::size_t line = first_invalid_utf8_line(*content)) {
    return fail("'" + path + "' is not UTF-8 text (line " + std::to_string(line) + ")");
  }
  return {};
}

}  // namespace netwarden::config_detail
