// What analysing one page found (ContentAnalyzer, content_digest.h): its
// fingerprints, the texts they are taken of, and the keyword findings.
// Plain data, kept apart from the analyser so that code judging a digest
// (daemon/core) needs neither libxml2 nor PCRE2.
#pragma once

#include <string>
#include <vector>

namespace netwarden {

// One harmful keyword found on a page, with what a person needs to judge it.
struct KeywordHit {
  std::string keyword;    // as written in the keyword file
  std::string category;   // the file's category ("gambling", ...); "" when the list has none
  std::string severity;   // the category's severity name as written ("major"); "": [incidents.severity]
  std::string where;      // where it was seen: "text", "title", "img alt", "document.write", ...
  std::string quote;      // the original text around the first match, short, valid UTF-8
  int count = 0;          // matches on the page
  std::string page = {};  // a crawled page's or file's URL; "" on the watched page
  bool operator==(const KeywordHit&) const = default;
};

// A link or piece of code a visitor does not see or did not ask for.
struct PageFinding {
  std::string what;  // the URL, or which inline script ("inline script 3")
  std::string why;   // e.g. "display:none on <div class=\"f\">", "host evil.example not allowed"
  // A hidden link's words, as a search engine reads them (its text and img
  // alt, whitespace collapsed, short); "" for code and for links without.
  std::string text = {};
  std::vector<std::string> keywords = {};  // harmful keywords `text` carries, as written in the keyword file
  std::string page = {};                   // a crawled page's URL; "" on the watched page
  bool operator==(const PageFinding&) const = default;
};

// Personal data on a page (privacy_leak): one kind of number that reached
// its minimum count. Never a full number: the examples are masked.
struct PersonalDataFinding {
  std::string kind;                   // "id_number", "mobile_number", "bank_card"
  int count = 0;                      // distinct numbers of the kind, allowed ones not counted
  std::vector<std::string> examples;  // up to three, masked: "110105********123X"
  std::string page = {};              // a crawled page's or file's URL; "" on the watched page
  bool operator==(const PersonalDataFinding&) const = default;
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
  std::vector<KeywordHit> harmful_hits;       // the evidence for harmful_found, one per keyword
  std::vector<PageFinding> hidden_links;      // links to other hosts a visitor cannot see (hidden_link)
  std::vector<PageFinding> foreign_code;      // code from hosts not allowed, obfuscated code (malicious_code)
  // Why content checking could not see the page this time, "" when it could:
  // "charset_undecodable: x-foo", "region_empty: //div[@id='news']". Never a
  // silent pass: the judge turns it into a content_changed.
  std::string blind_spot;
  // Where the page leads, for a crawl (probes/content/page_inspector.h):
  // each <a>/<area> href and <iframe>/<frame> src as written, and the
  // page's <base href>. Not masked: a crawl does not follow a link that
  // holds a personal number, so none is kept.
  std::vector<std::string> links;
  std::string base_href;
  // Personal data (privacy_leak), each kind at or over its minimum. `text`,
  // `structure`, keyword quotes and findings hold every number masked.
  std::vector<PersonalDataFinding> personal_data;
};

}  // namespace netwarden
