// Judging one web check: turns what a fetch found (and, for a good fetch,
// the page's content digest) into the verdict the daemon records and shows.
//
// Pure logic: no I/O and no clock; the caller passes everything in,
// including what the previous check of the same target left behind
// (CheckMemory) and the target's approved content fingerprints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "probes/content/digest_result.h"
#include "probes/web/fetch_result.h"

namespace netwarden {

enum class ContentState { unknown, baseline_set, unchanged, changed };
std::string_view to_string(ContentState state);

// The approved fingerprints a page is compared with (the store keeps the
// texts as evidence; the daemon keeps only these in memory).
struct BaselineFingerprints {
  std::string text_sha256;
  std::string structure_sha256;
};

// What one check leaves for the next check of the same target.
struct CheckMemory {
  std::vector<std::string> resolved_addresses;
  std::string cert_sha256;
  // The last analysed body and its digest without the evidence texts, so an
  // unchanged page is never parsed twice.
  std::string body_sha256;
  std::optional<ContentDigest> digest;
};

struct CheckVerdict {
  Time at;
  bool up = false;
  std::string reason;  // "" when up; a FetchFailure name, "http_status" or "content_rule"
  std::string detail;  // human-readable
  int status = 0;
  std::chrono::microseconds latency{0};  // the whole fetch
  ContentState content = ContentState::unknown;
  ContentState structure = ContentState::unknown;
  std::vector<std::string> harmful;
  std::vector<std::string> required_missing;
  bool dns_changed = false;   // resolved addresses differ from the previous check's
  bool cert_changed = false;  // leaf certificate differs from the previous check's
  std::optional<int> cert_days_left;
};

bool status_expected(const WebTarget& target, int status);

// `digest` is the page's digest when the fetch succeeded with an expected
// status, else null. `baseline` is null when the target has none yet, in
// which case a digest becomes the baseline (content = baseline_set).
CheckVerdict judge_check(const WebTarget& target, const FetchResult& fetch, const ContentDigest* digest,
                         const CheckMemory& previous, const BaselineFingerprints* baseline, Time now);

}  // namespace netwarden
