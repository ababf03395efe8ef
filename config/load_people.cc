// [people.ID], [units.ID] and [institution]: who is responsible for what.
#include "config/sections.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

// An array of person ids; unknown ones are reported and left out.
void read_person_list(TableReader& r, std::string_view key, std::string_view owner, LoadContext& ctx,
                      std::vector<std::string>& out) {
  std::optional<std::vector<Item>> ids = r.strings(key);
  if (!ids) return;
  for (const Item& id : *ids) {
    if (ctx.check_person(id, owner)) out.push_back(id.value);
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
  r.finish();
}

}  // namespace netwarden::config_detail
