// What analysing one page found (ContentAnalyzer, content_digest.h): its
// fingerprints, the texts they are taken of, and the keyword findings.
// Plain data, kept apart from the analyser so that code judging a digest
// (daemon/core) needs neither libxml2 nor PCRE2.
#pragma once

#include <string>
#include <vector>

namespace netwarden {

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

}  // namespace netwarden
