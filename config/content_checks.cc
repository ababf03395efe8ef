#define PCRE2_CODE_UNIT_WIDTH 8
#include "config/content_checks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <pcre2.h>

namespace netwarden::config_detail {
namespace {

constexpr std::size_t kMaxFileSize = 64 * 1024 * 1024;

std::string trim_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Line (1-based) of the first byte that is not part of valid UTF-8, or 0.
std::size_t first_invalid_utf8_line(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return line;
    std::uint32_t code = length == 1 ? c : c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return line;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return line;
    i += length;
  }
  return 0;
}

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
  struct Fd {
    int fd;
    ~Fd() {
      if (fd >= 0) ::close(fd);
    }
  } file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail(std::strerror(EISDIR));
  std::string content;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(file.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    if (content.size() + static_cast<std::size_t>(n) > kMaxFileSize) return fail("file is larger than 64 MiB");
    content.append(buf, static_cast<std::size_t>(n));
  }
  return content;
}

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
