#include "daemon/store/page_evidence_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <string_view>

namespace netwarden {

namespace json = boost::json;

namespace {

std::string string_in(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int int_in(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
}

std::vector<std::string> strings_in(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* list = o.if_contains(key); list != nullptr && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

std::vector<const json::object*> objects_in(const json::object& o, std::string_view key) {
  std::vector<const json::object*> out;
  if (const auto* list = o.if_contains(key); list != nullptr && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (item.is_object()) out.push_back(&item.get_object());
    }
  }
  return out;
}

void add_page(json::object& o, const std::string& page) {
  if (!page.empty()) o["page"] = page;
}

json::array findings_json(const std::vector<PageFinding>& findings) {
  json::array list;
  for (const PageFinding& f : findings) {
    json::object o{{"what", f.what}, {"why", f.why}};
    if (!f.text.empty()) o["text"] = f.text;
    if (!f.keywords.empty()) o["keywords"] = json::array(f.keywords.begin(), f.keywords.end());
    add_page(o, f.page);
    list.push_back(std::move(o));
  }
  return list;
}

std::vector<PageFinding> findings_from(const json::object& o, std::string_view key) {
  std::vector<PageFinding> out;
  for (const auto* f : objects_in(o, key)) {
    out.push_back({string_in(*f, "what"), string_in(*f, "why"), string_in(*f, "text"), strings_in(*f, "keywords"),
                   string_in(*f, "page")});
  }
  return out;
}

}  // namespace

void add_page_evidence(json::object& out, const PageEvidence& e) {
  if (!e.harmful_hits.empty()) {
    json::array hits;
    for (const KeywordHit& h : e.harmful_hits) {
      json::object o{{"keyword", h.keyword}, {"category", h.category}, {"severity", h.severity},
                     {"where", h.where},     {"quote", h.quote},       {"count", h.count}};
      add_page(o, h.page);
      hits.push_back(std::move(o));
    }
    out["harmful_hits"] = std::move(hits);
  }
  if (!e.hidden_links.empty()) out["hidden_links"] = findings_json(e.hidden_links);
  if (!e.foreign_code.empty()) out["foreign_code"] = findings_json(e.foreign_code);
  if (!e.personal_data.empty()) out["personal_data"] = personal_data_json(e.personal_data);
}

PageEvidence page_evidence_from(const json::object& o) {
  PageEvidence e;
  for (const auto* h : objects_in(o, "harmful_hits")) {
    e.harmful_hits.push_back({string_in(*h, "keyword"), string_in(*h, "category"), string_in(*h, "severity"),
                              string_in(*h, "where"), string_in(*h, "quote"), int_in(*h, "count"),
                              string_in(*h, "page")});
  }
  e.hidden_links = findings_from(o, "hidden_links");
  e.foreign_code = findings_from(o, "foreign_code");
  e.personal_data = personal_data_from(o);
  return e;
}

std::string page_evidence_text(const PageEvidence& evidence) {
  json::object o;
  add_page_evidence(o, evidence);
  return json::serialize(o);
}

PageEvidence page_evidence_from_text(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? page_evidence_from(v.as_object()) : PageEvidence{};
}

json::array personal_data_json(const std::vector<PersonalDataFinding>& findings) {
  json::array out;
  for (const PersonalDataFinding& f : findings) {
    json::object o{
        {"kind", f.kind}, {"count", f.count}, {"examples", json::array(f.examples.begin(), f.examples.end())}};
    add_page(o, f.page);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<PersonalDataFinding> personal_data_from(const json::object& o) {
  std::vector<PersonalDataFinding> out;
  for (const auto* f : objects_in(o, "personal_data")) {
    const auto* kind = f->if_contains("kind");
    const auto* count = f->if_contains("count");
    if (kind == nullptr || !kind->is_string() || count == nullptr || !count->is_int64()) continue;
    out.push_back({std::string(kind->get_string()), static_cast<int>(count->get_int64()), strings_in(*f, "examples"),
                   string_in(*f, "page")});
  }
  return out;
}

}  // namespace netwarden
