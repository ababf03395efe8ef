// ContentAnalyzers: the compiled content rules of the web targets, one
// compilation per distinct set of rules. Targets mostly share theirs (the
// defaults), and compiled rules (regex JIT code, keyword automata) are
// immutable, so one serves every target with the same rules; a keyword
// file is read and compiled once however many targets name it.
//
// content_rule_errors() compiles a whole configuration's rules the same
// way: --check-config (and so a reload) fails on a keyword file the daemon
// could not use (its format: categories, severities, exceptions; or a
// matcher this CPU cannot run) instead of the daemon at start.
//
// Thread-safety: single-threaded; the analyzers it returns may be used
// from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "probes/content/content_digest.h"
#include "probes/content/keyword_matcher.h"

namespace netwarden {

class ContentAnalyzers {
 public:
  // The target's analyzer; an error names the keyword file's line or the
  // rule at fault.
  Result<ContentAnalyzer> for_target(const WebTarget& target);

 private:
  Result<std::shared_ptr<const KeywordMatcher>> keywords(const std::string& path);

  std::map<std::string, std::shared_ptr<const KeywordMatcher>> keyword_lists_;  // by path
  std::map<std::string, ContentAnalyzer> analyzers_;                            // by content rules
};

// "target 'ID': what is wrong", one per target whose rules do not compile.
std::vector<std::string> content_rule_errors(const Config& config);

}  // namespace netwarden
