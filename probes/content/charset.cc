#include "probes/content/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

}  // namespace

bool is_utf8_charset(std::string_view charset) {
  const std::string name = lower(charset);
  return name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii";
}

std::optional<std::string> to_utf8(std::string_view body, std::string_view charset) {
  std::string name = lower(charset);
  // Browsers decode pages labelled gb2312 or gbk as GB18030, which
  // contains both.
  if (name == "gb2312" || name == "gbk" || name == "x-gbk") name = "gb18030";
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  // (iconv_t)-1 is iconv_open's documented error value.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(body.size() * 3 / 2);
  char* in = const_cast<char*>(body.data());
  std::size_t in_left = body.size();
  char buffer[4096];
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
    if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) {
      // EILSEQ or EINVAL (truncated at the end): skip one byte.
      append_utf8(out, 0xFFFD);
      ++in;
      --in_left;
    }
  }
  iconv_close(cd);
  return out;
}

}  // namespace netwarden::content_detail
