#include "daemon/monitor/baseline_approval.h"

#include <optional>

#include "daemon/store/store.h"

namespace netwarden {

namespace {

// The evidence text of the page whose `what` ("text" or "structure")
// fingerprint is `sha`: the old baseline's if it is unchanged, else the
// newest recorded change to it.
std::string evidence_for(const std::optional<Baseline>& old, const std::vector<ContentChange>& changes,
                         const std::string& what, const std::string& sha) {
  if (old) {
    if (what == "text" && old->text_sha256 == sha) return old->text;
    if (what == "structure" && old->structure_sha256 == sha) return old->structure;
  }
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    if (it->what == what && it->new_sha256 == sha) return it->new_content;
  }
  return "(the page's " + what + " was not kept as evidence)";
}

}  // namespace

Result<void> store_approved_baseline(Store& store, const std::string& target, const BaselineFingerprints& approved,
                                     Time at, const std::string& by) {
  auto old = store.baseline(target);
  if (!old) return std::unexpected(old.error());
  auto changes = store.content_changes(target);
  if (!changes) return std::unexpected(changes.error());
  return store.put_baseline(Baseline{target, approved.text_sha256, approved.structure_sha256,
                                     evidence_for(*old, *changes, "text", approved.text_sha256),
                                     evidence_for(*old, *changes, "structure", approved.structure_sha256), at, by});
}

}  // namespace netwarden
