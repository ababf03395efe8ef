#include "config/toml_reader.h"

#include <algorithm>
#include <utility>

namespace netwarden::config_detail {
namespace {

Position from_source(const toml::source_region& region) {
  return Position{static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted(std::string_view key) { return "'" + std::string(key) + "'"; }

}  // namespace

Position position_of(const toml::node& node) { return from_source(node.source()); }
Position position_of(const toml::key& key) { return from_source(key.source()); }

void Diagnostics::error(Position at, std::string message) {
  errors_.push_back(ConfigError{file_, at.line, at.column, std::move(message)});
}

std::vector<ConfigError> Diagnostics::take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::move(errors_);
}

std::string type_phrase(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string suggestion(std::string_view word, const std::set<std::string, std::less<>>& candidates) {
  // Short words are a short edit away from anything: no guesses for those.
  const std::size_t limit = word.size() <= 2 ? 0 : word.size() <= 4 ? 1 : 2;
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  return best ? "; did you mean " + quoted(*best) + "?" : "";
}

TableReader::TableReader(const toml::table& table, std::string section, Diagnostics& diag)
    : table_(table), section_(std::move(section)), diag_(diag) {}

Position TableReader::value_position(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return node ? position_of(*node) : header();
}

const toml::node* TableReader::find(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

void TableReader::wrong_type(std::string_view key, const toml::node& node, std::string_view expected) {
  diag_.error(position_of(node), quoted(key) + " must be " + std::string(expected) + ", not " + type_phrase(node));
}

std::optional<std::string> TableReader::string(std::string_view key, bool allow_empty) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    wrong_type(key, *node, "a string");
    return std::nullopt;
  }
  std::string value = node->as_string()->get();
  if (value.empty() && !allow_empty) {
    diag_.error(position_of(*node), quoted(key) + " must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> TableReader::one_of(std::string_view key, std::initializer_list<std::string_view> choices) {
  std::optional<std::size_t> index = choice(key, std::span(choices.begin(), choices.size()));
  if (!index) return std::nullopt;
  return std::string(choices.begin()[*index]);
}

std::optional<std::size_t> TableReader::choice(std::string_view key, std::span<const std::string_view> choices) {
  std::optional<std::string> value = string(key);
  if (!value) return std::nullopt;
  std::string listed;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (*value == choices[i]) return i;
    listed += (listed.empty() ? "\"" : ", \"") + std::string(choices[i]) + "\"";
  }
  diag_.error(value_position(key), quoted(key) + " must be one of " + listed + ", not \"" + *value + "\"");
  return std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_boolean()) {
    wrong_type(key, *node, "true or false");
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_integer()) {
    wrong_type(key, *node, "an integer");
    return std::nullopt;
  }
  std::int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    diag_.error(position_of(*node), quoted(key) + " must be between " + std::to_string(min) + " and " +
                                        std::to_string(max) + ", not " + std::to_string(value));
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> TableReader::parse_duration_string(std::string_view key, const toml::node& node,
                                                           bool allow_zero) {
  const std::string& text = node.as_string()->get();
  Result<Duration> value = parse_duration(text);
  if (!value) {
    diag_.error(position_of(node), quoted(key) + ": " + value.error().message);
    return std::nullopt;
  }
  if (value->count() == 0 && !allow_zero) {
    diag_.error(position_of(node), quoted(key) + " must be longer than 0s");
    return std::nullopt;
  }
  return *value;
}

std::optional<Duration> TableReader::duration(std::string_view key, bool allow_zero) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    wrong_type(key, *node, "a duration string like \"90s\"");
    return std::nullopt;
  }
  return parse_duration_string(key, *node, allow_zero);
}

std::optional<std::vector<DurationItem>> TableReader::durations(std::string_view key) {
  const toml::array* items = array(key, "an array of durations like [\"1h\", \"15m\"]");
  if (!items) return std::nullopt;
  std::vector<DurationItem> out;
  for (const toml::node& item : *items) {
    if (!item.is_string()) {
      diag_.error(position_of(item),
                  "each item of " + quoted(key) + " must be a duration string like \"90s\", not " + type_phrase(item));
      continue;
    }
    if (std::optional<Duration> value = parse_duration_string(key, item, false)) {
      out.push_back(DurationItem{*value, Item{item.as_string()->get(), position_of(item)}});
    }
  }
  return out;
}

const toml::array* TableReader::array(std::string_view key, std::string_view expected) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (!node->is_array()) {
    wrong_type(key, *node, expected);
    return nullptr;
  }
  return node->as_array();
}

std::optional<std::vector<Item>> TableReader::strings(std::string_view key) {
  const toml::array* items = array(key, "an array of strings");
  if (!items) return std::nullopt;
  std::vector<Item> out;
  for (const toml::node& item : *items) {
    if (!item.is_string()) {
      diag_.error(position_of(item), "each item of " + quoted(key) + " must be a string, not " + type_phrase(item));
      continue;
    }
    out.push_back(Item{item.as_string()->get(), position_of(item)});
  }
  return out;
}

const toml::table* TableReader::table(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (!node->is_table()) {
    wrong_type(key, *node, "a table");
    return nullptr;
  }
  return node->as_table();
}

bool TableReader::require(std::string_view key) {
  known_.emplace(key);
  if (table_.contains(key)) return true;
  diag_.error(header(), "missing required key " + quoted(key) + " in " + section_);
  return false;
}

void TableReader::reject(std::string_view key, std::string message) {
  known_.emplace(key);
  if (auto it = table_.find(key); it != table_.end()) diag_.error(position_of(it->first), std::move(message));
}

void TableReader::finish() {
  for (auto&& [key, node] : table_) {
    if (known_.contains(key.str())) continue;
    std::string what = !section_.empty() ? "unknown key " + quoted(key.str()) + " in " + section_
                       : node.is_table() ? "unknown section [" + std::string(key.str()) + "]"
                                         : "unknown top-level key " + quoted(key.str());
    diag_.error(position_of(key), what + suggestion(key.str(), known_));
  }
}

}  // namespace netwarden::config_detail
