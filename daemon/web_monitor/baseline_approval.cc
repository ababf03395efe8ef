#include "daemon/web_monitor/baseline_approval.h"

#include <optional>

#include "daemon/store/store.h"

namespace netwarden {

namespace {

// The evidence text of the page whose `what` ("text" or "structure")
// fingerprint is `sha`: the old baseline's if it is unchanged, else the
// newest recorded change of that kind (the monitor records every distinct
// changed page, so the current one is the newest).
Result<std::string> evidence_for(Store& store, const std::string& target, const std::optional<Baseline>& old,
                                 const std::string& what, const std::string& sha) {
  if (old) {
    if (what == "text" && old->text_sha256 == sha) return old->text;
    if (what == "structure" && old->structure_sha256 == sha) return old->structure;
  }
  auto newest = store.latest_content_change(target, what);
  if (!newest) return std::unexpected(newest.error());
  if (*newest && (*newest)->new_sha256 == sha) return (*newest)->new_content;
  return "(the page's " + what + " was not kept as evidence)";
}

}  // namespace

Result<void> store_approved_baseline(Store& store, const std::string& target, const BaselineFingerprints& approved,
                                     Time at, const std::string& by) {
  auto old = store.baseline(target);
  if (!old) return std::unexpected(old.error());
  auto text = evidence_for(store, target, *old, "text", approved.text_sha256);
  if (!text) return std::unexpected(text.error());
  auto structure = evidence_for(store, target, *old, "structure", approved.structure_sha256);
  if (!structure) return std::unexpected(structure.error());
  return store.put_baseline(
      Baseline{target, approved.text_sha256, approved.structure_sha256, *text, *structure, at, by});
}

}  // namespace netwarden
