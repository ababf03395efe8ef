#include "probes/content/keyword_list.h"

#include <algorithm>
#include <charconv>

#include "common/text_file.h"
#include "config/config.h"

namespace netwarden::content_detail {
namespace {

constexpr std::string_view kSpace = " \t\r\v\f";
// A bound that no real page reaches, so a typo does not silence a category.
constexpr int kMaxMinCount = 1000000;

std::string_view trim(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

bool valid_category_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "[name key=value ...]" into `category`; the error says what is wrong.
Result<KeywordCategory> parse_header(std::string_view line) {
  if (line.back() != ']') return fail("a category header must end with ']' (write \\[ for a keyword)");
  std::string_view rest = trim(line.substr(1, line.size() - 2));
  std::vector<std::string_view> words;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find_first_of(kSpace), rest.size());
    words.push_back(rest.substr(0, end));
    rest = trim(rest.substr(end));
  }
  if (words.empty() || !valid_category_name(words[0])) {
    return fail("category name must be of a-z, 0-9, '_' and '-'");
  }
  KeywordCategory category{std::string(words[0]), "", 1};
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::size_t equals = words[i].find('=');
    const std::string_view key = words[i].substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? "" : words[i].substr(equals + 1);
    if (key == "severity") {
      if (std::find(std::begin(kSeverityNames), std::end(kSeverityNames), value) == std::end(kSeverityNames)) {
        return fail("severity must be general, significant, major or critical, not '" + std::string(value) + "'");
      }
      category.severity = value;
    } else if (key == "min_count") {
      int n = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (error != std::errc() || end != value.data() + value.size() || n < 1 || n > kMaxMinCount) {
        return fail("min_count must be a whole number from 1 to " + std::to_string(kMaxMinCount) + ", not '" +
                    std::string(value) + "'");
      }
      category.min_count = n;
    } else {
      return fail("unknown key '" + std::string(key) + "' (severity, min_count)");
    }
  }
  return category;
}

}  // namespace

Result<KeywordList> parse_keyword_list(std::string_view content, std::string_view name) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const auto error = [&](std::size_t line, const std::string& what) {
    return fail(std::string(name) + ":" + std::to_string(line) + ": " + what);
  };
  if (const std::size_t line = first_invalid_utf8_line(content)) return error(line, "not valid UTF-8");

  KeywordList list;
  std::vector<std::size_t> declared_at{0};  // per category, the header's line
  std::size_t current = 0;
  for (std::size_t number = 1; !content.empty(); ++number) {
    const std::size_t end = std::min(content.find('\n'), content.size());
    const std::string_view line = trim(content.substr(0, end));
    content.remove_prefix(std::min(end + 1, content.size()));
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      Result<KeywordCategory> category = parse_header(line);
      if (!category) return error(number, category.error().message);
      for (std::size_t i = 1; i < list.categories.size(); ++i) {
        if (list.categories[i].name == category->name) {
          return error(number,
                       "category '" + category->name + "' already declared on line " + std::to_string(declared_at[i]));
        }
      }
      current = list.categories.size();
      list.categories.push_back(std::move(*category));
      declared_at.push_back(number);
    } else if (line.front() == '!') {
      constexpr std::string_view kExcept = "!except";
      const std::string_view phrase = trim(line.substr(std::min(kExcept.size(), line.size())));
      if (!line.starts_with(kExcept) ||
          (line.size() > kExcept.size() && kSpace.find(line[kExcept.size()]) == std::string_view::npos)) {
        return error(number, "unknown directive (only '!except PHRASE'; write \\! for a keyword)");
      }
      if (phrase.empty()) return error(number, "!except needs a phrase");
      list.exceptions.push_back({std::string(phrase), current, number});
    } else {
      const bool escaped =
          line.size() > 1 && line.front() == '\\' && std::string_view("[!#\\").find(line[1]) != std::string_view::npos;
      list.keywords.push_back({std::string(escaped ? line.substr(1) : line), current, number});
    }
  }
  return list;
}

}  // namespace netwarden::content_detail
