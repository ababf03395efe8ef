// Pages that declare a legacy encoding (GB2312, GBK, Big5 ... still common
// on older campus sites) are read as UTF-8 text after conversion, so that
// their text and keywords compare like any other page's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netwarden::content_detail {

// `body` converted from `charset` to UTF-8 (glibc iconv; GB2312 and GBK
// are read as their superset GB18030), each unconvertible byte becoming
// U+FFFD; nullopt for a charset iconv does not know.
std::optional<std::string> to_utf8(std::string_view body, std::string_view charset);

// Whether `charset` names UTF-8 (or US-ASCII, its subset), ignoring case.
bool is_utf8_charset(std::string_view charset);

}  // namespace netwarden::content_detail
