// Character references in HTML text and attribute values.
#pragma once

#include <string>
#include <string_view>

namespace netwarden::content_detail {

// Appends `raw` with character references decoded to UTF-8: numeric ones
// (&#...; and &#x...;, the ';' optional as browsers allow) and the named
// ones pages commonly use. Unknown or malformed references stay as written.
void append_decoded(std::string& out, std::string_view raw);

}  // namespace netwarden::content_detail
