// [[maintenance]]: planned work, declared in advance, during which checks of
// a target open no incidents.
#include <sstream>

#include "config/date_time.h"
#include "config/sections.h"

namespace netwarden::config_detail {
namespace {

struct WrittenTime {
  Time at;
  std::string text;
};

// A string, or TOML's own offset date-time written without quotes; both go
// through parse_date_time() so they obey the same rules.
std::optional<WrittenTime> read_time(TableReader& r, std::string_view key) {
  if (!r.require(key)) return std::nullopt;
  const toml::node* node = r.find(key);
  std::string text;
  if (node->is_string()) {
    text = node->as_string()->get();
  } else if (node->is_date_time()) {
    std::ostringstream out;
    out << *node->as_date_time();
    text = out.str();
  } else {
    r.wrong_type(key, *node, "a date and time like \"2026-12-01T22:00:00+08:00\"");
    return std::nullopt;
  }
  Result<Time> at = parse_date_time(text);
  if (!at) {
    r.diag().error(position_of(*node), "'" + std::string(key) + "': " + at.error().message);
    return std::nullopt;
  }
  return WrittenTime{*at, text};
}

std::optional<MaintenanceWindow> read_window(const toml::table& table, std::size_t number, LoadContext& ctx) {
  const std::string owner = "maintenance window " + std::to_string(number);
  TableReader r(table, "[[maintenance]] (window " + std::to_string(number) + ")", ctx.diag);
  std::optional<std::string> target;
  if (r.require("target")) target = r.string("target", false);
  const bool target_ok = target && ctx.check_target(Item{*target, r.value_position("target")}, owner);
  std::optional<WrittenTime> from = read_time(r, "from");
  std::optional<WrittenTime> to = read_time(r, "to");
  const bool times_ok = from && to && to->at > from->at;
  if (from && to && !times_ok) {
    ctx.diag.error(r.value_position("to"),
                   owner + ": 'to' (" + to->text + ") must be after 'from' (" + from->text + ")");
  }
  std::optional<std::string> reason;
  if (r.require("reason")) reason = r.string("reason");
  if (reason && reason->find_first_not_of(" \t\r\n") == std::string::npos) {
    ctx.diag.error(r.value_position("reason"), owner + ": 'reason' must not be empty");
    reason.reset();
  }
  r.finish();
  if (!target_ok || !times_ok || !reason) return std::nullopt;
  return MaintenanceWindow{*target, from->at, to->at, *reason, ""};
}

}  // namespace

void read_maintenance(const toml::array* windows, LoadContext& ctx, std::vector<MaintenanceWindow>& out) {
  if (!windows) return;
  std::size_t number = 0;
  for (const toml::node& item : *windows) {
    ++number;
    if (!item.is_table()) {
      ctx.diag.error(position_of(item), "each item of 'maintenance' must be a table, not " + type_phrase(item));
      continue;
    }
    if (std::optional<MaintenanceWindow> window = read_window(*item.as_table(), number, ctx)) {
      out.push_back(std::move(*window));
    }
  }
}

}  // namespace netwarden::config_detail
