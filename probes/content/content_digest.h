// Page content analysis: turns a fetched HTML body into the fingerprints and
// keyword findings a check compares against the target's baseline.
//
// ContentAnalyzer is built once per target from its content rules (XPath
// regions, ignore patterns, required and harmful keywords) and then applied
// to every fetched body. Building reports bad rules as an Error (a bad
// XPath or regex is caught at config load time). analyze() never fails: any
// byte string, however malformed as HTML, yields a digest.
//
// Thread-safety: analyze() is const and may run on several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "probes/content/digest_result.h"
#include "probes/content/personal_data.h"

namespace netwarden {

class KeywordMatcher;  // probes/content/keyword_matcher.h

struct ContentRules {
  std::vector<std::string> regions;               // XPath 1.0 expressions; empty: the whole page
  std::vector<std::string> ignore;                // PCRE2 patterns removed from the text before hashing
  std::vector<std::string> required_keywords;     // each must appear in the text
  std::shared_ptr<const KeywordMatcher> harmful;  // may be null
  // Hosts besides the page's own (and its subdomains) whose code and frames
  // are not foreign (WebTarget::allowed_hosts).
  std::vector<std::string> allowed_hosts;
  PersonalDataRules personal_data = {};  // privacy_leak: minimum counts, numbers published on purpose
};

class ContentAnalyzer {
 public:
  static Result<ContentAnalyzer> create(ContentRules rules);

  // page_url decides which links point outside the site; content_type is
  // the response's Content-Type header, whose charset counts before the
  // page's own <meta> (a body in an encoding that cannot be decoded sets
  // ContentDigest::blind_spot).
  ContentDigest analyze(std::string_view body, std::string_view page_url, std::string_view content_type = {}) const;

  // The text taken out of an attached file (a PDF's, a spreadsheet's cells;
  // any bytes, read as UTF-8): harmful keywords (KeywordHit::where "file")
  // and personal data, as on a page; masked as on a page. No links, code or
  // structure, and the target's regions, ignore patterns and required
  // keywords, which describe its page, do not apply.
  ContentDigest analyze_text(std::string_view text) const;

 private:
  struct Compiled;
  static std::vector<std::string> missing_required(const Compiled& c, const std::string& text);
  explicit ContentAnalyzer(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace netwarden
