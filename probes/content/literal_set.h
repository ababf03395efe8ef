// LiteralSet: every occurrence of any of a (possibly large) set of byte
// strings in a text, in one pass whatever the set's size: Hyperscan's
// literal mode. Bytes are compared as they are: callers fold text and
// patterns alike first (text_fold.h).
//
// Chosen over the Aho–Corasick automaton netwarden had by measurement
// (bench/keyword_bench.cc, bench/README.md): with 2,000 folded Chinese and
// Latin keywords over Chinese text, Hyperscan takes 26 µs for 20 KB where
// Aho–Corasick took 293 µs; common characters start partial matches at
// nearly every byte, which costs a byte-wise automaton a walk each time.
//
// Compiled once, then immutable: find_all() may be called from several
// threads (each scan borrows Hyperscan scratch space from a pool).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden::content_detail {

class LiteralSet {
 public:
  struct Match {
    std::uint32_t pattern;  // index into the patterns given
    std::uint32_t end;      // offset just past the occurrence
  };

  // Patterns may repeat (each index is reported); an empty one is an error,
  // as is a CPU Hyperscan does not run on (it needs SSSE3).
  static Result<LiteralSet> compile(const std::vector<std::string>& patterns);

  // Appends every occurrence in `text` to `out`, ordered by end offset.
  // Throws std::bad_alloc when no scratch space can be had.
  void find_all(std::string_view text, std::vector<Match>& out) const;

  struct State;

 private:
  explicit LiteralSet(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;  // null: no patterns
};

}  // namespace netwarden::content_detail
