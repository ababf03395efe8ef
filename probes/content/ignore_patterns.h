// The ignore patterns of a target: PCRE2 expressions whose matches (a
// timestamp, a visitor counter) are cut from the text before it is hashed.
//
// Compiled once (UTF and Unicode properties, JIT where available);
// remove_from() may run on several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden::content_detail {

class IgnorePatterns {
 public:
  // The error quotes the bad pattern with PCRE2's reason and offset.
  static Result<IgnorePatterns> compile(const std::vector<std::string>& patterns);

  // `text` (canonical, see text_normaliser.h) with every match of every
  // pattern removed, pattern by pattern in the configured order; the result
  // is canonical again (no space left doubled or at an end).
  std::string remove_from(std::string text) const;

  // Whether some pattern matches somewhere in `text` (valid UTF-8, such as
  // a normalised URL): a crawl's include and exclude lists are compiled the
  // same way.
  bool matches_any(std::string_view text) const;

  bool empty() const { return codes_.empty(); }

 private:
  struct Free {
    void operator()(void* code) const;
  };
  std::vector<std::unique_ptr<void, Free>> codes_;  // pcre2_code*, kept opaque to users
};

}  // namespace netwarden::content_detail
