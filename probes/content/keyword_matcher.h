// KeywordMatcher: finds a harmful-keyword list's words on a page, however
// they are disguised, and says what a person needs to judge each find.
//
// Page texts and keywords are folded alike (text_fold.h: NFKC, case,
// traditional → simplified Chinese, zero-width characters, separators
// between CJK characters, percent-escapes, look-alike letters), then
// matched in one pass over each text whatever the list size
// (literal_set.h). The list's file format (categories, severity,
// min_count, exception phrases) is in keyword_list.h.
//
// Built once, then immutable: scan() and find() may be called from several
// threads.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "probes/content/digest_result.h"

namespace netwarden {

// One text of a page and where on the page it was seen ("text", "title",
// "img alt", ...): KeywordHit::where.
struct PageText {
  std::string_view where;
  std::string_view text;
};

class KeywordMatcher {
 public:
  // Reads and parses a keyword file. Errors name the file and line (bad
  // UTF-8, a bad header or directive, a keyword in two categories) or the
  // OS reason (cannot read).
  static Result<std::shared_ptr<const KeywordMatcher>> load_file(const std::string& path);
  // The same from a file's content; `name` stands for the file in errors.
  static Result<std::shared_ptr<const KeywordMatcher>> parse(std::string_view content, std::string_view name);
  // Keywords without categories or exceptions (required keywords). Fails
  // only where Hyperscan cannot run (a CPU without SSSE3) or memory runs out.
  static Result<std::shared_ptr<const KeywordMatcher>> from_list(const std::vector<std::string>& keywords);

  // The keywords found on a page made of `texts`: one hit per keyword,
  // sorted by keyword, where and quote from its first match, count over
  // all texts. A match inside an occurrence of an exception phrase of its
  // category (or of the whole file) does not count; a category whose
  // matches on the page stay below its min_count reports nothing.
  std::vector<KeywordHit> scan(std::span<const PageText> texts) const;
  // scan() of one text, the keywords only.
  std::vector<std::string> find(std::string_view text) const;
  std::size_t size() const;

  struct Rules;
  explicit KeywordMatcher(std::unique_ptr<const Rules> rules);
  ~KeywordMatcher();

 private:
  std::unique_ptr<const Rules> rules_;
};

}  // namespace netwarden
