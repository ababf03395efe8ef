// load_config(): parse the document, learn which ids exist, then let each
// section's reader (sections.h) map and check its part.
#include "config/load_config.h"

#include <sys/un.h>

#include <algorithm>

#include "common/text_file.h"
#include "config/sections.h"
#include "config/toml_prescan.h"
#include "config/value_checks.h"
#include "config/value_syntax.h"

namespace netwarden {
namespace config_detail {
namespace {

bool check_reference(Diagnostics& diag, const std::set<std::string, std::less<>>& defined, const Item& id,
                     std::string_view owner, std::string_view what, std::string_view section) {
  if (defined.contains(id.value)) return true;
  diag.error(id.at, std::string(owner) + ": " + std::string(what) + " '" + id.value + "' is not defined in [" +
                        std::string(section) + "]" + suggestion(id.value, defined));
  return false;
}

// The keys of a [section.ID] collection, whatever their validity, so that
// references to an entry with a bad value do not also count as dangling.
std::set<std::string, std::less<>> ids_of(const toml::table* section) {
  std::set<std::string, std::less<>> ids;
  if (section) {
    for (auto&& [key, node] : *section) ids.emplace(key.str());
  }
  return ids;
}

void read_daemon(const toml::table* section, LoadContext& ctx, DaemonConfig& out) {
  if (!section) return;
  TableReader r(*section, "[daemon]", ctx.diag);
  if (auto v = r.string("state_dir", false)) out.state_dir = *v;
  if (auto v = r.string("socket", false)) {
    if (v->size() >= sizeof(sockaddr_un::sun_path)) {
      ctx.diag.error(r.value_position("socket"), "'socket' path is too long for a Unix socket (at most " +
                                                     std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
    } else {
      out.socket = *v;
    }
  }
  if (auto v = r.one_of("log_level", {"trace", "debug", "info", "warn", "error"})) out.log_level = *v;
  if (auto v = r.string("admin_group")) out.admin_group = *v;
  if (auto v = r.integer("max_concurrent_checks", 1, 10000)) out.max_concurrent_checks = static_cast<int>(*v);
  if (auto v = r.duration("sample_retention")) out.sample_retention = *v;
  if (auto v = r.duration("history_retention")) out.history_retention = *v;
  r.finish();
}

}  // namespace

std::string LoadContext::absolute(std::string_view path) const {
  return (base_dir / std::filesystem::path(path)).lexically_normal().string();
}

bool LoadContext::check_person(const Item& id, std::string_view owner) {
  return check_reference(diag, people, id, owner, "person", "people");
}

bool LoadContext::check_unit(const Item& id, std::string_view owner) {
  return check_reference(diag, units, id, owner, "unit", "units");
}

bool LoadContext::check_chain(const Item& id, std::string_view owner) {
  return check_reference(diag, chains, id, owner, "chain", "chains");
}

bool LoadContext::check_target(const Item& id, std::string_view owner) {
  return check_reference(diag, targets, id, owner, "target", "targets");
}

bool LoadContext::check_channel(const Item& id, std::string_view owner) {
  return check_reference(diag, channels, id, owner, "channel", "channels");
}

bool LoadContext::check_person_channel(const Item& id, std::string_view owner) {
  if (id.value == "email") return true;
  if (auto kind = channel_kinds.find(id.value); kind != channel_kinds.end() && is_group_robot(kind->second)) {
    diag.error(id.at, std::string(owner) + ": channel '" + id.value + "' is a group robot (kind = \"" + kind->second +
                          "\"), which units and [institution] name; a person's channels are \"email\", "
                          "webhooks and SMS");
    return false;
  }
  return check_channel(id, owner);
}

void read_path(TableReader& r, std::string_view key, LoadContext& ctx, std::string& out) {
  if (auto v = r.string(key)) out = v->empty() ? std::string() : ctx.absolute(*v);
}

std::string describe_duration(Duration d) {
  return d.count() % 1000 ? std::to_string(d.count()) + "ms" : format_duration(d);
}

void check_timeout(TableReader& r, std::string_view owner, std::optional<Duration> read_interval,
                   std::optional<Duration> read_timeout, Duration interval, Duration timeout) {
  const bool interval_ok = read_interval || !r.find("interval"), timeout_ok = read_timeout || !r.find("timeout");
  if (!(read_interval || read_timeout) || !interval_ok || !timeout_ok || timeout <= interval) return;
  r.diag().error(r.value_position(read_timeout ? "timeout" : "interval"),
                 std::string(owner) + ": 'timeout' (" + describe_duration(timeout) +
                     ") must not be longer than 'interval' (" + describe_duration(interval) + ")");
}

std::vector<Entry> entries(const toml::table* section, std::string_view name, Diagnostics& diag) {
  struct Found {
    Position at;
    Entry entry;
  };
  std::vector<Found> found;
  if (!section) return {};
  for (auto&& [key, node] : *section) {
    std::string id(key.str());
    if (!node.is_table()) {
      diag.error(position_of(node), "'" + id + "' in [" + std::string(name) + "] must be a table [" +
                                        std::string(name) + "." + id + "], not " + type_phrase(node));
      continue;
    }
    if (!is_valid_id(id)) {
      diag.error(position_of(key),
                 "id '" + id + "' in [" + std::string(name) + "] may only contain letters, digits, '-' and '_'");
      continue;
    }
    found.push_back(Found{position_of(key), Entry{id, node.as_table()}});
  }
  // toml++ keeps tables sorted by key; the model keeps the file's order.
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::pair(a.at.line, a.at.column) < std::pair(b.at.line, b.at.column);
  });
  std::vector<Entry> out;
  out.reserve(found.size());
  for (Found& f : found) out.push_back(std::move(f.entry));
  return out;
}

}  // namespace config_detail

std::string ConfigError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ConfigLoad load_config_text(std::string_view text, const std::string& path) {
  using namespace config_detail;
  ConfigLoad out;
  out.config.path = path;
  Diagnostics diag(path);
  // toml++ must never see what would crash it (see toml_prescan.h).
  if (std::optional<TomlTextProblem> problem = prescan_toml(text)) {
    diag.error(Position{problem->line, problem->column}, std::move(problem->message));
    out.errors = diag.take();
    return out;
  }
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    diag.error(Position{static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column)},
               std::string(e.description()));
    out.errors = diag.take();
    return out;
  }

  std::error_code ec;
  std::filesystem::path absolute_path = std::filesystem::absolute(path, ec);
  LoadContext ctx{diag, absolute_path.parent_path(), {}, {}, {}, {}, {}, {}};

  TableReader top(root, "", diag);
  const toml::table* daemon = top.table("daemon");
  const toml::table* defaults = top.table("defaults");
  const toml::table* people = top.table("people");
  const toml::table* units = top.table("units");
  const toml::table* institution = top.table("institution");
  const toml::table* chains = top.table("chains");
  const toml::table* targets = top.table("targets");
  const toml::table* isolation = top.table("isolation");
  const toml::table* incidents = top.table("incidents");
  const toml::array* maintenance = top.array("maintenance", "an array of tables like [[maintenance]]");
  const toml::table* mail = top.table("mail");
  const toml::table* channels = top.table("channels");
  top.finish();
  ctx.people = ids_of(people);
  ctx.units = ids_of(units);
  ctx.chains = ids_of(chains);
  ctx.targets = ids_of(targets);
  ctx.channels = ids_of(channels);
  ctx.channel_kinds = channel_kinds(channels);

  Config& config = out.config;
  read_daemon(daemon, ctx, config.daemon);
  read_people(people, ctx, config.people);
  read_units(units, ctx, config.units);
  read_institution(institution, ctx, config.institution);
  read_chains(chains, ctx, config.chains);
  read_targets(defaults, targets, ctx, config.targets);
  read_isolation(isolation, ctx, config.isolation);
  read_incidents(incidents, ctx, config.targets, config.incidents);
  read_maintenance(maintenance, ctx, config.maintenance);
  read_mail(mail, ctx, config.mail);
  read_channels(channels, ctx, config.channels);
  out.errors = diag.take();
  return out;
}

std::optional<ConfigError> nothing_to_watch(const Config& config) {
  if (!config.targets.empty() || !config.isolation.empty()) return std::nullopt;
  return ConfigError{config.path, 1, 1,
                     "nothing to watch: no [targets.*] and no [isolation.*] (netwardend --allow-empty accepts that)"};
}

ConfigLoad load_config(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text) {
    ConfigLoad out;
    out.config.path = path;
    out.errors.push_back(ConfigError{path, 0, 0, "cannot read: " + text.error().message});
    return out;
  }
  return load_config_text(*text, path);
}

}  // namespace netwarden
