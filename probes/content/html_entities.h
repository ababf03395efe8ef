// Character references in HTML text and attribute values, decoded as the
// HTML tokenizer does.
#pragma once

#include <string>
#include <string_view>

namespace netwarden::content_detail {

// Where a reference stands: in an attribute value, a legacy reference
// without ';' followed by '=' or a letter or digit stays as written
// ("?a=1&copy=2" is a URL, not "?a=1©=2").
enum class ReferenceContext { text, attribute };

// Appends `raw` with character references decoded to UTF-8: every named
// reference of HTML (html_entity_table.h), the legacy ones without ';'
// (&nbsp, &copy, &amp ...), and numeric ones, the ';' optional, 0x80-0x9F
// read as windows-1252 and 0, surrogates and values past U+10FFFF as
// U+FFFD. Anything else stays as written.
void append_decoded(std::string& out, std::string_view raw, ReferenceContext where = ReferenceContext::text);

}  // namespace netwarden::content_detail
