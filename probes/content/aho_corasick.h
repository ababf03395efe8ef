// AhoCorasick: every occurrence of any of a (possibly large) set of byte
// strings in a text, in one pass over the text whatever the set's size.
// Bytes are compared as they are: callers fold text and patterns alike
// first (text_fold.h).
//
// Chosen over Hyperscan by measurement (bench/keyword_bench.cc, README
// there): on folded Chinese and Latin text with 2,000 patterns it is as
// fast or faster, and it needs no scratch space per thread.
//
// Built once, then immutable: find_all() may be called from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace netwarden::content_detail {

class AhoCorasick {
 public:
  struct Match {
    std::uint32_t pattern;  // index into the patterns given
    std::uint32_t end;      // offset just past the occurrence
  };

  // Patterns may repeat (each index is reported) or be empty (never found).
  explicit AhoCorasick(const std::vector<std::string>& patterns);
  ~AhoCorasick();
  AhoCorasick(AhoCorasick&&) noexcept;
  AhoCorasick& operator=(AhoCorasick&&) noexcept;

  // Appends every occurrence in `text`, by end offset, to `out`.
  void find_all(std::string_view text, std::vector<Match>& out) const;

  struct Automaton;

 private:
  std::unique_ptr<const Automaton> automaton_;
};

}  // namespace netwarden::content_detail
