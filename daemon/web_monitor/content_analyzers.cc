#include "daemon/web_monitor/content_analyzers.h"

namespace netwarden {

Result<std::shared_ptr<const KeywordMatcher>> ContentAnalyzers::keywords(const std::string& path) {
  if (path.empty()) return std::shared_ptr<const KeywordMatcher>();
  auto it = keyword_lists_.find(path);
  if (it != keyword_lists_.end()) return it->second;
  auto loaded = KeywordMatcher::load_file(path);
  if (!loaded) return std::unexpected(loaded.error());
  keyword_lists_.emplace(path, *loaded);
  return *loaded;
}

Result<ContentAnalyzer> ContentAnalyzers::for_target(const WebTarget& target) {
  std::string key;
  for (const auto* list : {&target.regions, &target.ignore, &target.required_keywords, &target.allowed_hosts,
                           &target.privacy_allowed_numbers}) {
    for (const auto& item : *list) key += item + '\x1f';
    key += '\x1e';
  }
  for (int count : {target.privacy_min_id_numbers, target.privacy_min_bank_cards, target.privacy_min_mobile_numbers}) {
    key += std::to_string(count) + '\x1e';
  }
  key += target.harmful_keywords_file;
  if (auto it = analyzers_.find(key); it != analyzers_.end()) return it->second;

  auto harmful = keywords(target.harmful_keywords_file);
  if (!harmful) return std::unexpected(harmful.error());
  const PersonalDataRules personal_data{target.privacy_min_id_numbers, target.privacy_min_bank_cards,
                                        target.privacy_min_mobile_numbers, target.privacy_allowed_numbers};
  auto analyzer = ContentAnalyzer::create(ContentRules{target.regions, target.ignore, target.required_keywords,
                                                       *harmful, target.allowed_hosts, personal_data});
  if (!analyzer) return std::unexpected(analyzer.error());
  analyzers_.emplace(std::move(key), *analyzer);
  return analyzer;
}

std::vector<std::string> content_rule_errors(const Config& config) {
  std::vector<std::string> errors;
  ContentAnalyzers analyzers;
  for (const WebTarget& target : config.targets) {
    if (auto analyzer = analyzers.for_target(target); !analyzer) {
      errors.push_back("target '" + target.id + "': " + analyzer.error().message);
    }
  }
  return errors;
}

}  // namespace netwarden
