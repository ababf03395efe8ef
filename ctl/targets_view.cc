#include <cstdio>

#include "ctl/crawl_view.h"
#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

std::string joined(const boost::json::object& o, std::string_view key) {
  std::string out;
  if (const auto* a = o.if_contains(key); a && a->is_array()) {
    for (const auto& word : a->get_array()) {
      if (!word.is_string()) continue;
      if (!out.empty()) out += ", ";
      out += word.get_string();
    }
  }
  return out;
}

bool flag(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::string latency_text(const boost::json::object& t) {
  const auto* v = t.if_contains("latency_ms");
  if (v == nullptr || !v->is_number()) return "-";
  boost::system::error_code ec;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", v->to_number<double>(ec));
  return buf;
}

std::string cert_text(const boost::json::object& t) {
  const auto* v = t.if_contains("cert_days_left");
  if (v == nullptr || v->is_null()) return "-";
  return std::to_string(int_field(t, "cert_days_left")) + "d";
}

// "id_number 3, bank_card 4": each privacy_leak kind and its count.
std::string personal_data_text(const boost::json::object& t) {
  std::string out;
  const auto* list = t.if_contains("personal_data");
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& item : list->get_array()) {
    if (!item.is_object()) continue;
    out += (out.empty() ? "" : ", ") + field_text(item.get_object(), "kind") + " " +
           std::to_string(int_field(item.get_object(), "count"));
  }
  return out;
}

// The daemon's own words, then everything else worth a look, so that one
// line says why a target needs attention.
std::string notes(const boost::json::object& t) {
  std::vector<std::string> parts;
  auto add = [&parts](std::string part) {
    if (!part.empty()) parts.push_back(std::move(part));
  };
  std::string detail = field_text(t, "detail");
  add(detail != "-" ? detail : std::string());
  // A check that could not see the page is never a quiet row.
  // The daemon sends "" when the check saw the whole page.
  if (std::string blind = field_text(t, "blind_spot"); blind != "-" && !blind.empty()) add("BLIND SPOT " + blind);
  if (auto words = joined(t, "harmful"); !words.empty()) add("harmful: " + words);
  if (auto words = joined(t, "required_missing"); !words.empty()) add("missing: " + words);
  if (auto links = joined(t, "hidden_links"); !links.empty()) add("hidden links: " + links);
  if (auto code = joined(t, "foreign_code"); !code.empty()) add("foreign code: " + code);
  if (auto numbers = personal_data_text(t); !numbers.empty()) add("personal data: " + numbers);
  if (auto refused = joined(t, "cloaking_refused"); !refused.empty()) add("cloaking checks refused: " + refused);
  if (field_text(t, "structure") == "changed") add("structure changed");
  if (const auto* crawl = t.if_contains("crawl"); crawl != nullptr && crawl->is_object()) {
    add(crawl_progress_text(crawl->get_object()));
  }
  if (flag(t, "dns_changed")) add("DNS changed");
  if (flag(t, "cert_changed")) add("certificate changed");
  if (!flag(t, "tls_verify")) add("TLS not verified");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

Result<std::string> targets_text(const boost::json::value& result) {
  const boost::json::value* list = result.is_object() ? result.get_object().if_contains("targets") : nullptr;
  if (list == nullptr || !list->is_array()) return fail("the daemon's targets result has no \"targets\" list");
  if (list->get_array().empty()) return std::string("no targets configured\n");

  Table table({"ID", "NAME", "UNIT", "STATE", "HTTP", "LATENCY", "CONTENT", "CERT", "LAST CHECK", "NOTES"});
  for (const auto& item : list->get_array()) {
    if (!item.is_object()) continue;
    const auto& t = item.get_object();
    table.add_row({field_text(t, "id"), field_text(t, "name"), field_text(t, "unit"), field_text(t, "state"),
                   field_text(t, "status"), latency_text(t), field_text(t, "content"), cert_text(t),
                   local_time_text(t, "last_check"), notes(t)});
  }
  return table.render();
}

}  // namespace netwarden
