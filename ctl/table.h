// Plain-text tables for terminal output, aligned by display width so that
// Chinese names (two columns per character) line up with ASCII ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netwarden {

// Terminal columns `text` (UTF-8) takes: East Asian wide and fullwidth
// characters count 2, combining marks 0, everything else 1.
std::size_t display_width(std::string_view text);

// `text` made safe to print: control characters (which could move the
// cursor or rewrite the terminal) become spaces; invalid UTF-8 becomes '?'.
std::string printable(std::string_view text);

class Table {
 public:
  // An empty header makes a table without a header line (key/value lists).
  explicit Table(std::vector<std::string> header = {});

  // Rows shorter than the widest are padded with empty cells.
  void add_row(std::vector<std::string> cells);

  // Columns separated by two spaces, each line ending in '\n'; the last
  // column is not padded, so lines carry no trailing blanks.
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace netwarden
