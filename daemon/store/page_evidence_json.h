// The JSON form of what a page showed (probes/content/digest_result.h), as
// the store keeps it in a check's sample details and a crawled page's row
// and as e-mails read it back:
//   "harmful_hits":  [{keyword, category, severity, where, quote, count, page?}]
//   "hidden_links", "foreign_code": [{what, why, text?, keywords?, page?}]
//   "personal_data": [{kind, count, examples, page?}]
// A list that would be empty is left out. Reading skips items of the wrong
// shape: it reads what an older or newer daemon wrote without failing.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "probes/content/digest_result.h"

namespace netwarden {

struct PageEvidence {
  std::vector<KeywordHit> harmful_hits;
  std::vector<PageFinding> hidden_links;
  std::vector<PageFinding> foreign_code;
  std::vector<PersonalDataFinding> personal_data;

  bool empty() const {
    return harmful_hits.empty() && hidden_links.empty() && foreign_code.empty() && personal_data.empty();
  }
  bool operator==(const PageEvidence&) const = default;
};

void add_page_evidence(boost::json::object& out, const PageEvidence& evidence);
PageEvidence page_evidence_from(const boost::json::object& o);

// The same as one JSON object's text ("{}" when empty), as a crawled page's
// row keeps it; text that is not a JSON object reads as no evidence.
std::string page_evidence_text(const PageEvidence& evidence);
PageEvidence page_evidence_from_text(std::string_view text);

// Only the personal data, as a check's verdict keeps it.
boost::json::array personal_data_json(const std::vector<PersonalDataFinding>& findings);
std::vector<PersonalDataFinding> personal_data_from(const boost::json::object& o);

}  // namespace netwarden
