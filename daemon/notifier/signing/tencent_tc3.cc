#include "daemon/notifier/signing/tencent_tc3.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/ascii.h"
#include "common/sha256.h"
#include "daemon/notifier/signing/hmac.h"
#include "daemon/notifier/signing/text_encoding.h"

namespace netwarden {

namespace {

struct CanonicalHeaders {
  std::string lines;         // "key:value\n" per header
  std::string signed_names;  // "key;key"
};

std::string lower_trimmed(std::string_view text) {
  std::string out(trim_html_space(text));
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return ascii_lower(c); });
  return out;
}

Result<CanonicalHeaders> canonical_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> sorted;
  sorted.reserve(headers.size());
  for (const auto& [name, value] : headers) sorted.emplace_back(lower_trimmed(name), lower_trimmed(value));
  std::sort(sorted.begin(), sorted.end());
  CanonicalHeaders out;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto& [name, value] = sorted[i];
    if (name.empty()) return fail("Tencent Cloud TC3: a signed header has no name");
    if (i > 0 && sorted[i - 1].first == name) return fail("Tencent Cloud TC3: header " + name + " is signed twice");
    out.lines += name + ":" + value + "\n";
    out.signed_names += (i > 0 ? ";" : "") + name;
  }
  // The two headers the document requires every signature to cover.
  for (const std::string_view required : {"content-type", "host"}) {
    const bool present =
        std::any_of(sorted.begin(), sorted.end(), [&](const auto& header) { return header.first == required; });
    if (!present) return fail("Tencent Cloud TC3: the " + std::string(required) + " header must be signed");
  }
  return out;
}

// "2019-02-25": the UTC date of a Unix time in seconds.
std::string utc_date(std::chrono::sys_seconds time) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(time)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace

Result<Tc3Signature> tc3_sign(const Tc3Request& request) {
  if (request.secret_id.empty() || request.secret_key.empty()) {
    return fail("Tencent Cloud TC3: the SecretId or SecretKey is empty");
  }
  if (request.service.empty()) return fail("Tencent Cloud TC3: the service is empty");
  auto headers = canonical_headers(request.headers);
  if (!headers) return std::unexpected(headers.error());

  constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256";
  const auto seconds = std::chrono::floor<std::chrono::seconds>(request.time);
  const std::string date = utc_date(seconds);
  const std::string scope = date + "/" + std::string(request.service) + "/tc3_request";

  Tc3Signature out;
  out.timestamp = std::to_string(seconds.time_since_epoch().count());
  out.canonical_request =
      "POST\n/\n\n" + headers->lines + "\n" + headers->signed_names + "\n" + sha256_hex(request.payload);
  out.string_to_sign =
      std::string(kAlgorithm) + "\n" + out.timestamp + "\n" + scope + "\n" + sha256_hex(out.canonical_request);
  const std::string secret_date = hmac_sha256("TC3" + std::string(request.secret_key), date);
  const std::string secret_service = hmac_sha256(secret_date, request.service);
  const std::string secret_signing = hmac_sha256(secret_service, "tc3_request");
  out.signature = hex_lower(hmac_sha256(secret_signing, out.string_to_sign));
  out.authorization = std::string(kAlgorithm) + " Credential=" + std::string(request.secret_id) + "/" + scope +
                      ", SignedHeaders=" + headers->signed_names + ", Signature=" + out.signature;
  return out;
}

}  // namespace netwarden
