#include "daemon/incidents/notification_channels.h"

#include <algorithm>

namespace netwarden {

namespace {

const Chain* chain_of(const Config& config, const std::string& target) {
  std::string id;
  if (auto t = std::ranges::find(config.targets, target, &WebTarget::id); t != config.targets.end()) {
    id = t->chain;
  } else if (auto w = std::ranges::find(config.isolation, target, &IsolationWatch::id); w != config.isolation.end()) {
    id = w->chain;
  }
  auto chain = config.chains.find(id);
  return chain == config.chains.end() ? nullptr : &chain->second;
}

// The channels the notification's steps name, each once; none when some
// reason is no step of the chain or names no channels.
std::optional<std::vector<std::string>> step_channels(const Chain* chain, const Notification& n) {
  if (chain == nullptr || n.reasons.empty()) return std::nullopt;
  std::vector<std::string> named;
  for (const NotifyReason& r : n.reasons) {
    const bool step = r.what == NotifyReason::What::step || r.what == NotifyReason::What::repeat;
    if (!step || r.step < 1 || static_cast<std::size_t>(r.step) > chain->steps.size()) return std::nullopt;
    const ChainStep& s = chain->steps[static_cast<std::size_t>(r.step) - 1];
    if (s.channels.empty()) return std::nullopt;
    for (const std::string& c : s.channels) {
      if (std::ranges::find(named, c) == named.end()) named.push_back(c);
    }
  }
  return named;
}

}  // namespace

std::vector<std::string> notification_channels(const Config& config, const Incident& incident,
                                               const Notification& notification) {
  auto person = config.people.find(notification.person);
  if (person == config.people.end()) return {};
  const std::vector<std::string>& own = person->second.channels;
  const auto named = step_channels(chain_of(config, incident.target), notification);
  if (!named) return own;
  std::vector<std::string> chosen;
  std::ranges::copy_if(own, std::back_inserter(chosen),
                       [&](const std::string& c) { return std::ranges::find(*named, c) != named->end(); });
  if (chosen.empty()) chosen.push_back("email");
  return chosen;
}

}  // namespace netwarden
