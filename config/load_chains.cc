// [chains.ID] with its [[chains.ID.steps]]: who is told when.
#include <algorithm>

#include "config/sections.h"

namespace netwarden::config_detail {
namespace {

const std::set<std::string, std::less<>>& role_names() {
  static const std::set<std::string, std::less<>> names(std::begin(kRoleNames), std::end(kRoleNames));
  return names;
}

std::optional<ChainStep> read_step(const toml::table& table, const std::string& chain_id, std::size_t number,
                                   LoadContext& ctx) {
  const std::string owner = "chain '" + chain_id + "', step " + std::to_string(number);
  TableReader r(table, "[[chains." + chain_id + ".steps]] (step " + std::to_string(number) + ")", ctx.diag);
  ChainStep step;
  std::optional<Duration> after;
  if (r.require("after")) after = r.duration("after", /*allow_zero=*/true);

  // Items count even when they name unknown roles or people: those are
  // reported themselves, and "notifies nobody" would only add noise.
  std::optional<std::vector<Item>> roles = r.strings("notify");
  std::optional<std::vector<Item>> people = r.strings("people");
  const std::size_t recipients = (roles ? roles->size() : 0) + (people ? people->size() : 0);
  const bool unreadable = (r.find("notify") && !roles) || (r.find("people") && !people);
  if (recipients == 0 && !unreadable) {
    Position at = r.find("notify") ? r.value_position("notify") : r.value_position("people");
    ctx.diag.error(at, owner + " notifies nobody: list roles in 'notify' or person ids in 'people'");
  }
  for (const Item& role : roles.value_or(std::vector<Item>{})) {
    if (role_names().contains(role.value)) {
      step.roles.push_back(role.value);
      continue;
    }
    std::string listed;
    for (const char* name : kRoleNames) listed += (listed.empty() ? "" : ", ") + std::string(name);
    ctx.diag.error(role.at, owner + ": '" + role.value + "' is not a role (roles: " + listed + ")" +
                                suggestion(role.value, role_names()));
  }
  for (const Item& id : people.value_or(std::vector<Item>{})) {
    if (ctx.check_person(id, owner)) step.people.push_back(id.value);
  }
  for (const Item& channel : r.strings("channels").value_or(std::vector<Item>{})) {
    if (std::ranges::find(step.channels, channel.value) != step.channels.end()) {
      ctx.diag.error(channel.at, owner + ": 'channels' lists '" + channel.value + "' twice");
    } else if (ctx.check_person_channel(channel, owner)) {
      step.channels.push_back(channel.value);
    }
  }
  if (auto listed = r.find("channels"); listed && listed->is_array() && listed->as_array()->empty()) {
    ctx.diag.error(r.value_position("channels"), owner +
                                                     ": 'channels' must not be empty; leave it out for each "
                                                     "person's own channels");
  }
  step.repeat = r.duration("repeat");
  if (auto v = r.boolean("skip_if_acknowledged")) step.skip_if_acknowledged = *v;
  r.finish();
  if (!after) return std::nullopt;
  step.after = *after;
  return step;
}

}  // namespace

void read_chains(const toml::table* section, LoadContext& ctx, std::map<std::string, Chain>& out) {
  for (const Entry& e : entries(section, "chains", ctx.diag)) {
    TableReader r(*e.table, "[chains." + e.id + "]", ctx.diag);
    Chain chain;
    chain.id = e.id;
    const std::string needs_step = "chain '" + e.id + "' needs at least one [[chains." + e.id + ".steps]]";
    if (!r.find("steps")) {
      ctx.diag.error(r.header(), needs_step);
    } else if (const toml::array* steps = r.array("steps", "an array of tables like [[chains." + e.id + ".steps]]")) {
      if (steps->empty()) ctx.diag.error(r.value_position("steps"), needs_step);
      std::size_t number = 0;
      for (const toml::node& item : *steps) {
        ++number;
        if (!item.is_table()) {
          ctx.diag.error(position_of(item), "each item of 'steps' must be a table, not " + type_phrase(item));
          continue;
        }
        if (std::optional<ChainStep> step = read_step(*item.as_table(), e.id, number, ctx)) {
          chain.steps.push_back(std::move(*step));
        }
      }
    }
    r.finish();
    std::stable_sort(chain.steps.begin(), chain.steps.end(),
                     [](const ChainStep& a, const ChainStep& b) { return a.after < b.after; });
    out.emplace(e.id, std::move(chain));
  }
}

}  // namespace netwarden::config_detail
