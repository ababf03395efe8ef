// The harmful-keyword file: what its lines mean, before any matching.
//
//   # comment; blank lines ignored; surrounding whitespace trimmed
//   赌博                          a keyword before any header: no category
//   [gambling severity=critical min_count=2]
//                                 a category: keywords after it are its own;
//                                 severity general|significant|major|critical
//                                 (default: [incidents.severity]
//                                 harmful_content), min_count >= 1 (default 1)
//   博彩                          a keyword of the current category
//   !except 打击网络赌博          an exception phrase of the current category
//                                 (before any header: of the whole file)
//   \[not a header                a leading backslash escapes [ ! # and \ (a
//                                 keyword "[not a header")
//
// A file of one keyword per line (the old format) reads as keywords without
// a category. Category names are [a-z0-9_-]+; each is declared once.
//
// Thread-safety: plain data and a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden::content_detail {

struct KeywordCategory {
  std::string name;      // "" for keywords before any header
  std::string severity;  // as written; "" when not given
  int min_count = 1;     // matches on a page before any of them counts
};

struct KeywordLine {
  std::string text;      // as written (escape removed)
  std::size_t category;  // index into KeywordList::categories
  std::size_t line;      // 1-based, for error messages; 0 when not from a file
};

struct KeywordList {
  // categories[0] is the unnamed one: keywords before any header, and for
  // exceptions, the whole file.
  std::vector<KeywordCategory> categories{KeywordCategory{}};
  std::vector<KeywordLine> keywords;
  std::vector<KeywordLine> exceptions;
};

// Parses a keyword file's content (UTF-8, a leading BOM skipped). Errors
// read "NAME:LINE: what is wrong".
Result<KeywordList> parse_keyword_list(std::string_view content, std::string_view name);

}  // namespace netwarden::content_detail
