// Checks the config delegates to the libraries and files that will use the
// values later: XPath expressions (libxml2), ignore patterns (PCRE2), and
// the files a target names (CA file, harmful keyword list), and reading
// the config file itself.
//
// Each returns success or an Error with the library's own description of
// the problem. Safe from any thread: libxml2's error handler, borrowed
// during check_xpath, is thread-local. The file checks read the file system.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace netwarden::config_detail {

// Compiles `expression` with libxml2's XPath compiler.
Result<void> check_xpath(std::string_view expression);

// Compiles `pattern` with PCRE2 in UTF mode (PCRE2_UTF | PCRE2_UCP, as the
// probe matches it against UTF-8 text); the message carries PCRE2's
// description and the offset of the problem.
Result<void> check_regex(std::string_view pattern);

// `path` can be opened for reading and is not a directory.
Result<void> check_readable_file(const std::string& path);

// As check_readable_file, and the content is UTF-8.
Result<void> check_keyword_file(const std::string& path);

}  // namespace netwarden::config_detail
