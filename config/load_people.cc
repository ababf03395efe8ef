// [people.ID], [units.ID] and [institution]: who is responsible for what,
// and how they are told.
#include <algorithm>

#include "config/sections.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

// What a person's 'channels' names for e-mail to their 'email'.
constexpr std::string_view kEmail = "email";

// An array of person ids; unknown ones are reported and left out.
void read_person_list(TableReader& r, std::string_view key, std::string_view owner, LoadContext& ctx,
                      std::vector<std::string>& out) {
  std::optional<std::vector<Item>> ids = r.strings(key);
  if (!ids) return;
  for (const Item& id : *ids) {
    if (ctx.check_person(id, owner)) out.push_back(id.value);
  }
}

// The items of 'channels', each once; a repeated one is reported.
std::optional<std::vector<Item>> read_distinct_channels(TableReader& r, std::string_view owner) {
  std::optional<std::vector<Item>> items = r.strings("channels");
  if (!items) return std::nullopt;
  std::vector<Item> distinct;
  for (Item& item : *items) {
    if (std::ranges::find(distinct, item.value, &Item::value) != distinct.end()) {
      r.diag().error(item.at, std::string(owner) + ": 'channels' lists '" + item.value + "' twice");
    } else {
      distinct.push_back(std::move(item));
    }
  }
  return distinct;
}

void read_person_channels(TableReader& r, std::string_view owner, LoadContext& ctx, Person& person) {
  std::optional<std::vector<Item>> ids = read_distinct_channels(r, owner);
  if (!ids) return;
  if (ids->empty()) {
    ctx.diag.error(r.value_position("channels"),
                   std::string(owner) + ": 'channels' must not be empty; e-mail alone is [\"email\"]");
  }
  person.channels.clear();
  for (const Item& id : *ids) {
    if (!ctx.check_person_channel(id, owner)) continue;
    person.channels.push_back(id.value);
    auto kind = ctx.channel_kinds.find(id.value);
    if (kind != ctx.channel_kinds.end() && is_sms(kind->second) && person.mobile.empty()) {
      ctx.diag.error(id.at, std::string(owner) + ": channel '" + id.value + "' sends SMS (kind = \"" + kind->second +
                                "\"): set the person's 'mobile'");
    }
  }
}

// [channels] ids of any kind but SMS, told about the incidents of a unit or of all.
void read_group_channels(TableReader& r, std::string_view owner, LoadContext& ctx, std::vector<std::string>& out) {
  for (const Item& id : read_distinct_channels(r, owner).value_or(std::vector<Item>{})) {
    auto kind = ctx.channel_kinds.find(id.value);
    if (id.value == kEmail) {
      ctx.diag.error(id.at, std::string(owner) +
                                ": 'channels' names [channels] ids, not \"email\" (e-mail goes to people, through "
                                "the chains)");
    } else if (kind != ctx.channel_kinds.end() && is_sms(kind->second)) {
      ctx.diag.error(id.at, std::string(owner) + ": channel '" + id.value + "' sends SMS (kind = \"" + kind->second +
                                "\") to one person's mobile; list it in the people's 'channels'");
    } else if (ctx.check_channel(id, owner)) {
      out.push_back(id.value);
    }
  }
}

}  // namespace

void read_people(const toml::table* section, LoadContext& ctx, std::map<std::string, Person>& out) {
  for (const Entry& e : entries(section, "people", ctx.diag)) {
    TableReader r(*e.table, "[people." + e.id + "]", ctx.diag);
    Person person;
    person.id = e.id;
    if (r.require("name")) person.name = r.string("name", false).value_or("");
    if (r.require("email")) {
      if (std::optional<std::string> email = r.string("email", false)) {
        if (looks_like_email(*email)) {
          person.email = *email;
        } else {
          ctx.diag.error(r.value_position("email"),
                         "'email' must be an address like \"name@example.edu.cn\", not \"" + *email + "\"");
        }
      }
    }
    if (auto v = r.one_of("language", {"zh", "en", "zh+en"})) person.language = *v;
    if (auto v = r.string("mobile", false)) {
      if (Result<std::string> mobile = parse_mobile_number(*v); mobile) {
        person.mobile = std::move(*mobile);
      } else {
        ctx.diag.error(r.value_position("mobile"), "'mobile': " + mobile.error().message);
      }
    }
    read_person_channels(r, "person '" + e.id + "'", ctx, person);
    r.finish();
    out.emplace(e.id, std::move(person));
  }
}

void read_units(const toml::table* section, LoadContext& ctx, std::map<std::string, Unit>& out) {
  for (const Entry& e : entries(section, "units", ctx.diag)) {
    TableReader r(*e.table, "[units." + e.id + "]", ctx.diag);
    const std::string owner = "unit '" + e.id + "'";
    Unit unit;
    unit.id = e.id;
    if (r.require("name")) unit.name = r.string("name", false).value_or("");
    read_person_list(r, "head", owner, ctx, unit.head);
    read_person_list(r, "security_officer", owner, ctx, unit.security_officer);
    read_person_list(r, "operators", owner, ctx, unit.operators);
    read_group_channels(r, owner, ctx, unit.channels);
    r.finish();
    out.emplace(e.id, std::move(unit));
  }
}

void read_institution(const toml::table* section, LoadContext& ctx, InstitutionRoles& out) {
  if (!section) return;
  TableReader r(*section, "[institution]", ctx.diag);
  read_person_list(r, "office", "[institution] office", ctx, out.office);
  read_person_list(r, "leader_in_charge", "[institution] leader_in_charge", ctx, out.leader_in_charge);
  read_person_list(r, "first_responsible", "[institution] first_responsible", ctx, out.first_responsible);
  read_person_list(r, "upper_authority", "[institution] upper_authority", ctx, out.upper_authority);
  read_group_channels(r, "[institution]", ctx, out.channels);
  r.finish();
}

}  // namespace netwarden::config_detail
