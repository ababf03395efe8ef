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

namespace netwarden {

class KeywordMatcher;  // probes/content/keyword_matcher.h

struct ContentRules {
  std::vector<std::string> regions;            // XPath 1.0 expressions; empty: the whole page
  std::vector<std::string> ignore;             // PCRE2 patterns removed from the text before hashing
  std::vector<std::string> required_keywords;  // each must appear in the text
  std::shared_ptr<const KeywordMatcher> harmful;  // may be null
};

struct ContentDigest {
  std::string text_sha256;       // of `text`
  std::string structure_sha256;  // of `structure`
  // Visible text: regions only (if any), script/style/comments removed,
  // entities decoded, ignore patterns removed, whitespace collapsed.
  std::string text;
  // The page's security-relevant structure, one item per line, in document
  // order: "title: ...", "meta name=... content=...", "script: SRC",
  // "iframe: SRC", "external-link: URL" (links to hosts other than the
  // page's own).
  std::string structure;
  std::vector<std::string> required_missing;  // required keywords not found
  std::vector<std::string> harmful_found;     // harmful keywords found, each once, sorted
};

class ContentAnalyzer {
 public:
  static Result<ContentAnalyzer> create(ContentRules rules);

  // page_url decides which links point outside the site.
  ContentDigest analyze(std::string_view body, std::string_view page_url) const;

 private:
  struct Compiled;
  explicit ContentAnalyzer(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace netwarden
