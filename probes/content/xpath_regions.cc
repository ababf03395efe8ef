#include "probes/content/xpath_regions.h"

#include <climits>
#include <memory>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "probes/content/html_tags.h"

namespace netwarden::content_detail {
namespace {

constexpr int kParseOptions = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER;

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ContextFree {
  void operator()(xmlXPathContext* context) const { xmlXPathFreeContext(context); }
};
struct ObjectFree {
  void operator()(xmlXPathObject* object) const { xmlXPathFreeObject(object); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;
using Context = std::unique_ptr<xmlXPathContext, ContextFree>;
using Object = std::unique_ptr<xmlXPathObject, ObjectFree>;

Doc parse(std::string_view body, const std::string& url, const char* encoding = nullptr) {
  if (body.size() > INT_MAX) body = body.substr(0, INT_MAX);
  return Doc(htmlReadMemory(body.data(), static_cast<int>(body.size()), url.c_str(), encoding, kParseOptions));
}

// A context whose evaluation errors are dropped rather than printed: at
// check time a failing expression simply selects nothing.
Context quiet_context(xmlDoc* doc) {
  Context context(xmlXPathNewContext(doc));
  if (context) context->error = [](void*, xmlErrorPtr) {};
  return context;
}

bool is_element(const xmlNode* node, bool (*predicate)(std::string_view)) {
  return node->type == XML_ELEMENT_NODE && node->name && predicate(reinterpret_cast<const char*>(node->name));
}

// Walks the subtree without recursion: a hostile page may nest deeply.
void append_text(const xmlNode* top, std::string& out) {
  const xmlNode* node = top;
  for (;;) {
    const xmlNode* down = nullptr;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content) out += reinterpret_cast<const char*>(node->content);
    } else if (node->type == XML_ELEMENT_NODE) {
      if (!is_element(node, is_hidden_content_element)) down = node->children;
      if (is_element(node, is_block_element)) out += ' ';
    } else if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_HTML_DOCUMENT_NODE ||
               node->type == XML_DOCUMENT_NODE) {
      down = node->children;
    }
    if (down) {
      node = down;
      continue;
    }
    while (node != top && node->next == nullptr) {
      node = node->parent;
      if (is_element(node, is_block_element)) out += ' ';
    }
    if (node == top) return;
    node = node->next;
  }
}

void ignore_message(void*, const char*, ...) {}

// Borrows libxml2's thread-local error handlers for its lifetime to keep
// the first error's message (compile errors only reach a handler with their
// text this way) and to keep its free-form debug lines off stderr.
class FirstError {
 public:
  FirstError()
      : saved_handler_(xmlStructuredError),
        saved_context_(xmlStructuredErrorContext),
        saved_generic_(xmlGenericError),
        saved_generic_context_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(this, [](void* self, xmlErrorPtr error) {
      auto& message = static_cast<FirstError*>(self)->message_;
      if (message.empty() && error && error->message) message = error->message;
    });
    xmlSetGenericErrorFunc(nullptr, ignore_message);
  }
  ~FirstError() {
    xmlSetStructuredErrorFunc(saved_context_, saved_handler_);
    xmlSetGenericErrorFunc(saved_generic_context_, saved_generic_);
  }
  FirstError(const FirstError&) = delete;
  FirstError& operator=(const FirstError&) = delete;

  std::string message() const {
    std::string m = message_.empty() ? "syntax error" : message_;
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
  }

 private:
  xmlStructuredErrorFunc saved_handler_;
  void* saved_context_;
  xmlGenericErrorFunc saved_generic_;
  void* saved_generic_context_;
  std::string message_;
};

}  // namespace

Result<XPathRegions> XPathRegions::compile(std::vector<std::string> expressions) {
  xmlInitParser();
  // Evaluating each expression once on an empty page also catches what
  // compiling alone lets through: unknown functions, undefined prefixes.
  const Doc probe = parse("<html></html>", "");
  for (const std::string& expression : expressions) {
    FirstError error;
    const Context context(xmlXPathNewContext(probe.get()));
    const Object result(
        context ? xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context.get())
                : nullptr);
    if (!result) return fail("region \"" + expression + "\" is not a usable XPath expression: " + error.message());
  }
  XPathRegions regions;
  regions.expressions_ = std::move(expressions);
  return regions;
}

std::string XPathRegions::select_text(std::string_view body, std::string_view page_url, bool converted) const {
  std::string text;
  const Doc doc = parse(body, std::string(page_url), converted ? "UTF-8" : nullptr);
  if (!doc) return text;
  const Context context = quiet_context(doc.get());
  if (!context) return text;
  for (const std::string& expression : expressions_) {
    const Object result(xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context.get()));
    if (!result) continue;
    if (result->type == XPATH_NODESET && result->nodesetval) {
      for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        append_text(result->nodesetval->nodeTab[i], text);
        text += ' ';
      }
    } else if (result->type == XPATH_STRING && result->stringval) {
      text += reinterpret_cast<const char*>(result->stringval);
      text += ' ';
    }
  }
  return text;
}

}  // namespace netwarden::content_detail
