// Loading and validating the TOML configuration.
//
// load_config() reads the file, maps it onto Config (config/config.h) and
// validates it completely: unknown keys, wrong types, bad durations, sizes,
// URLs, CIDRs, regexes, XPath expressions and date-times, and dangling
// references (a target's unit or chain, a step's roles or people, a unit's
// people, a maintenance window's target). It
// reports every problem it finds, each as "FILE:LINE:COL: message" where
// LINE:COL is the position of the offending key or value (1-based), in file
// order. Relative paths in the file (harmful keyword lists, CA files) are
// resolved against the config file's directory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"

namespace netwarden {

struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  std::string to_string() const;  // "FILE:LINE:COL: message"
};

struct ConfigLoad {
  Config config;                    // valid only when errors is empty
  std::vector<ConfigError> errors;  // empty: the config is valid
  bool ok() const { return errors.empty(); }
};

ConfigLoad load_config(const std::string& path);
// For tests: parse TOML text as if it were the file `path`.
ConfigLoad load_config_text(std::string_view text, const std::string& path);

// A config without web targets and isolation watches watches nothing,
// which is a mistake unless meant (netwardend --allow-empty): the error
// "nothing to watch" at the file's start, or nullopt.
std::optional<ConfigError> nothing_to_watch(const Config& config);

// The longest duration parse_duration() accepts: 3650d, ten years.
inline constexpr Duration kLongestDuration = std::chrono::hours(24 * 3650);

// "90s", "30m", "3h", "1h30m", "7d", "250ms", at most kLongestDuration. An
// error says that the text is malformed or too long, quoting it.
Result<Duration> parse_duration(std::string_view text);

}  // namespace netwarden
