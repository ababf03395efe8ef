// The parts of the config loader, one reader per section of the file.
//
// load_config.cc parses the document, collects the ids every section defines
// (people, units, chains, targets, channels) into a LoadContext, then hands each
// section to its reader. Because the ids are known up front, a reader
// checks each reference where it is written and reports it at that
// position, whatever the order of sections in the file. Readers record
// problems in the context's Diagnostics and fill in whatever is valid.
// Internal to config/.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/toml_reader.h"

namespace netwarden::config_detail {

struct LoadContext {
  Diagnostics& diag;
  std::filesystem::path base_dir;  // absolute directory of the config file
  std::set<std::string, std::less<>> people, units, chains, targets, channels;
  // Each channel's kind, id -> kind (see channel_kinds): a person is never
  // told through a group robot, a unit never through SMS.
  std::map<std::string, std::string, std::less<>> channel_kinds;

  // `path` made absolute against base_dir.
  std::string absolute(std::string_view path) const;

  // Each reports "OWNER: person 'x' is not defined in [people]" at the item
  // when the id is unknown, and returns whether it is defined.
  bool check_person(const Item& id, std::string_view owner);
  bool check_unit(const Item& id, std::string_view owner);
  bool check_chain(const Item& id, std::string_view owner);
  bool check_target(const Item& id, std::string_view owner);
  bool check_channel(const Item& id, std::string_view owner);
  // "email", or a [channels] id that is no group robot: a robot posts to a
  // chat that many read, so it is told about a unit's incidents, not
  // addressed to one person.
  bool check_person_channel(const Item& id, std::string_view owner);
};

// One [section.ID] table.
struct Entry {
  std::string id;
  const toml::table* table;
};

// The [name.ID] tables of `section` (may be null) in file order. Entries
// that are not tables or whose id is not usable are reported and left out.
std::vector<Entry> entries(const toml::table* section, std::string_view name, Diagnostics& diag);

// "1h30m", or "1500ms" when not whole seconds: for messages.
std::string describe_duration(Duration d);

// A check has to end before the next one starts. Reports when `effective`
// timeout exceeds `effective` interval, if this table set either of them
// (`read_*` are what it set, nullopt when absent or already reported bad).
void check_timeout(TableReader& r, std::string_view owner, std::optional<Duration> read_interval,
                   std::optional<Duration> read_timeout, Duration interval, Duration timeout);

// A host whose code and frames are not foreign ("cdn.example.edu.cn"):
// a name or address, no "*." (subdomains always count) and no URL.
Result<void> check_allowed_host(std::string_view host);
// One line of printable ASCII, short enough for any server's header limit.
Result<void> check_user_agent(std::string_view agent);

// The strings of the array `key` that `check` accepts, appended to `out`;
// the others are reported.
void read_checked_list(TableReader& r, std::string_view key, Result<void> (*check)(std::string_view),
                       std::vector<std::string>& out);

// A byte count written as a positive integer or a size like "2MiB".
std::optional<std::uint64_t> read_size(TableReader& r, std::string_view key);

// A path key: "" leaves `out` empty, anything else is made absolute. The
// file is not opened: the daemon reads it when it starts.
void read_path(TableReader& r, std::string_view key, LoadContext& ctx, std::string& out);

// [targets.ID.crawl] of the target `id`.
CrawlConfig read_crawl(const toml::table& table, const std::string& id, LoadContext& ctx);

void read_people(const toml::table* section, LoadContext& ctx, std::map<std::string, Person>& out);
void read_units(const toml::table* section, LoadContext& ctx, std::map<std::string, Unit>& out);
void read_institution(const toml::table* section, LoadContext& ctx, InstitutionRoles& out);
void read_chains(const toml::table* section, LoadContext& ctx, std::map<std::string, Chain>& out);
void read_targets(const toml::table* defaults, const toml::table* section, LoadContext& ctx,
                  std::vector<WebTarget>& out);
void read_isolation(const toml::table* section, LoadContext& ctx, std::vector<IsolationWatch>& out);
// Needs the targets read already: threshold warnings must fit their thresholds.
void read_incidents(const toml::table* section, LoadContext& ctx, const std::vector<WebTarget>& targets,
                    IncidentSettings& out);
void read_maintenance(const toml::array* windows, LoadContext& ctx, std::vector<MaintenanceWindow>& out);
// `section` may be null: no [mail] means the spool transport with its defaults.
void read_mail(const toml::table* section, LoadContext& ctx, MailSettings& out);

// The kind of each [channels.ID] that names a known one, id -> kind, read
// before any section so that [people], [units] and chain steps can check
// the channels they name wherever [channels] is written. `section` may be null.
std::map<std::string, std::string, std::less<>> channel_kinds(const toml::table* section);
void read_channels(const toml::table* section, LoadContext& ctx, std::map<std::string, ChannelConfig>& out);

}  // namespace netwarden::config_detail
