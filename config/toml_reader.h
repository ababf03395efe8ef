// Reading toml++ tables into typed values, for the config loader only.
//
// The loader never stops at the first problem: every getter here either
// returns the value or records an error at the offending value's position in
// a Diagnostics and returns nullopt, so the caller just skips that field and
// carries on. A TableReader remembers which keys the loader asked for; its
// finish() reports every other key of the table as unknown, with a
// suggestion when it looks like a typo. Not thread-safe; one load at a time.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "common/time.h"
#include "config/load_config.h"

namespace netwarden::config_detail {

struct Position {
  int line = 0;
  int column = 0;
};

Position position_of(const toml::node& node);
Position position_of(const toml::key& key);

// Collects errors; take() returns them in file order.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void error(Position at, std::string message);
  std::vector<ConfigError> take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// "an integer", "a string", ... for "..., not an integer" messages.
std::string type_phrase(const toml::node& node);

// "; did you mean 'interval'?" when `word` is a likely typo of one of
// `candidates`, else "".
std::string suggestion(std::string_view word, const std::set<std::string, std::less<>>& candidates);

// A string from the file and where it was written.
struct Item {
  std::string value;
  Position at;
};

// A duration from the file, its text and where it was written.
struct DurationItem {
  Duration value;
  Item written;
};

class TableReader {
 public:
  // `section` names the table in messages, e.g. "[targets.portal]"; empty
  // for the document's root.
  TableReader(const toml::table& table, std::string section, Diagnostics& diag);

  const std::string& section() const { return section_; }
  Diagnostics& diag() { return diag_; }
  Position header() const { return position_of(table_); }
  // Position of the key's value, or of the table header when it is absent.
  Position value_position(std::string_view key) const;

  // Declares `key` part of the schema and returns its node, or nullptr.
  const toml::node* find(std::string_view key);

  // Typed getters: nullopt when the key is absent or its value is wrong
  // (the latter recorded as an error).
  std::optional<std::string> string(std::string_view key, bool allow_empty = true);
  // A string that must be one of `choices`.
  std::optional<std::string> one_of(std::string_view key, std::initializer_list<std::string_view> choices);
  // The same, returning the index of the choice.
  std::optional<std::size_t> choice(std::string_view key, std::span<const std::string_view> choices);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  // A step's `after` may be "0s"; every other duration must be positive.
  std::optional<Duration> duration(std::string_view key, bool allow_zero = false);
  // An array of positive durations; wrong items are reported and left out.
  std::optional<std::vector<DurationItem>> durations(std::string_view key);
  // An array of strings; wrong items are reported and left out.
  std::optional<std::vector<Item>> strings(std::string_view key);
  const toml::array* array(std::string_view key, std::string_view expected);
  const toml::table* table(std::string_view key);

  // Records "missing required key" at the header when `key` is absent.
  bool require(std::string_view key);
  // Declares `key` not applicable here; if present, reports `message` at it.
  void reject(std::string_view key, std::string message);
  // Reports every key of the table that no getter asked for.
  void finish();

  // "'interval' must be EXPECTED, not an integer", at the node.
  void wrong_type(std::string_view key, const toml::node& node, std::string_view expected);

 private:
  // `node` is a string holding a duration; otherwise reports it.
  std::optional<Duration> parse_duration_string(std::string_view key, const toml::node& node, bool allow_zero);

  const toml::table& table_;
  std::string section_;
  Diagnostics& diag_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace netwarden::config_detail
