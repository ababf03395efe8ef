// KeywordMatcher: finds which of a (possibly large) keyword list occur in a
// text, in one pass over the text whatever the list size (Aho–Corasick over
// UTF-8 bytes; ASCII letters match case-insensitively).
//
// Built once, then immutable: find() may be called from several threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden {

class KeywordMatcher {
 public:
  // One keyword per line, UTF-8; blank lines and lines starting with '#'
  // are skipped; surrounding whitespace trimmed. Errors name the file and
  // line (invalid UTF-8) or the OS reason (cannot read).
  static Result<std::shared_ptr<const KeywordMatcher>> load_file(const std::string& path);
  static std::shared_ptr<const KeywordMatcher> from_list(const std::vector<std::string>& keywords);

  // The distinct keywords found in text, sorted, as written in the list.
  std::vector<std::string> find(std::string_view text) const;
  std::size_t size() const;

  struct Automaton;
  explicit KeywordMatcher(std::unique_ptr<const Automaton> automaton);
  ~KeywordMatcher();

 private:
  std::unique_ptr<const Automaton> automaton_;
};

}  // namespace netwarden
