// Judging one web check: turns what a fetch found (and, for a good fetch,
// the page's content digest) into the verdict the daemon records and shows.
//
// Pure logic: no I/O and no clock; the caller passes everything in,
// including what the previous check of the same target left behind
// (CheckMemory) and the target's approved content fingerprints.
#pragma once

#include <cstddef>
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
  std::size_t text_length = 0;  // bytes of the baseline's text; 0: not known
};

// A page whose text shrank below this share of its baseline's is a blind
// spot (an emptied template, a region gone): never a silent pass.
constexpr std::size_t kShrunkPercent = 10;

// What one check leaves for the next check of the same target.
struct CheckMemory {
  std::vector<std::string> resolved_addresses;
  std::string cert_sha256;
  // The last analysed body and its digest without the evidence texts, so an
  // unchanged page is never parsed twice.
  std::string body_sha256;
  std::optional<ContentDigest> digest;
  std::size_t text_length = 0;  // of the digest's text, which is not kept
};

// What a cloaking variant showed and the plain page did not: the variant
// ("Baiduspider"), the keywords only it carries with their quotes, and the
// hidden links and foreign code only it has. The e-mails quote it.
struct CloakingShown {
  std::string variant;  // "": none showed more than the plain page
  std::vector<KeywordHit> harmful_hits;
  std::vector<PageFinding> hidden_links;
  std::vector<PageFinding> foreign_code;
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
  std::vector<KeywordHit> harmful_hits;   // the evidence for `harmful`
  std::vector<PageFinding> hidden_links;  // hidden_link evidence
  std::vector<PageFinding> foreign_code;  // malicious_code evidence
  // privacy_leak evidence, masked
  std::vector<PersonalDataFinding> personal_data;
  // Why content checking could not see the page ("region_empty: //div",
  // "charset_undecodable: x-foo", "text_shrunk: 120 of 5000 bytes"); "": it could.
  std::string blind_spot;
  std::vector<std::string> required_missing;
  // Cloaking (cloaking.h), judged on the checks that fetched the variants.
  bool cloaking_checked = false;
  std::string cloaking_variant;  // "": none showed more than the plain page
  std::string cloaking_difference;
  bool cloaking_keyword = false;
  std::vector<std::string> cloaking_refused;  // the latest round's, carried on every check for display
  CloakingShown cloaking_shown;               // the latest round's, carried on every check for the evidence
  bool dns_changed = false;                   // resolved addresses differ from the previous check's
  bool cert_changed = false;                  // leaf certificate differs from the previous check's
  std::optional<int> cert_days_left;
};

bool status_expected(const WebTarget& target, int status);

// "a, b, c": how verdicts and incident details list things for people.
std::string comma_list(const std::vector<std::string>& items);

// `digest` is the page's digest when the fetch succeeded with an expected
// status, else null; it may be previous.digest (an unchanged body), whose
// text is gone and whose length previous.text_length keeps. `baseline` is null when the target has none yet, in
// which case a digest becomes the baseline (content = baseline_set).
CheckVerdict judge_check(const WebTarget& target, const FetchResult& fetch, const ContentDigest* digest,
                         const CheckMemory& previous, const BaselineFingerprints* baseline, Time now);

}  // namespace netwarden
