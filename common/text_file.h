// Reading the small text files a config names (keyword lists, CA files,
// the config itself) and checking they are UTF-8. Shared by the config
// loader and the keyword matcher so both judge a file the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden {

// The whole file (at most 64 MiB); the error is errno's text (errno_text()).
Result<std::string> read_text_file(const std::string& path);

// Line (1-based) of the first byte that is not part of valid UTF-8, or 0.
std::size_t first_invalid_utf8_line(std::string_view text);

}  // namespace netwarden
