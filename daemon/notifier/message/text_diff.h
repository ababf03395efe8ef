// A short diff of two normalised page texts for an e-mail: what was removed
// and what was added, a few lines a person can read on a phone.
//
// Normalised text (probes/content) is mostly one long line with single
// spaces, and Chinese has no spaces at all, so the diff is by token: a
// run of ASCII letters and digits, or any other single character. Changes
// are grouped into hunks; each hunk gives a "- removed" and/or "+ added"
// line, truncated. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netwarden {

struct DiffLine {
  bool added = false;  // "+" when true, "-" when false
  std::string text;    // valid UTF-8 when the inputs are; "…" marks a cut
};

struct ShortDiff {
  std::vector<DiffLine> lines;  // at most max_lines
  std::size_t omitted = 0;      // further lines not shown
};

// `width`: characters per line before it is cut. Large texts whose changed
// middle is too big to align are shown as one hunk (all removed, all added).
ShortDiff short_diff(std::string_view old_text, std::string_view new_text, std::size_t max_lines = 20,
                     std::size_t width = 80);

}  // namespace netwarden
