// The JSON form of a check verdict: what `netwardenctl targets` shows for a
// target and what the store keeps as the target's latest state, so a
// restarted daemon can show it before its first new check.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/core/web_check.h"

namespace netwarden {

// Adds the verdict's fields to `out` (state, reason, detail, last_check,
// latency_ms, status, content, structure, harmful, required_missing,
// hidden_links and foreign_code (what each finding is about), blind_spot,
// personal_data (each kind with its count and masked examples),
// cloaking_refused (variants the site refused at the latest cloaking round),
// cert_days_left, dns_changed, cert_changed).
void add_verdict_fields(boost::json::object& out, const CheckVerdict& verdict);
// The fields with their "no check yet" values (state unknown, nulls).
void add_unknown_verdict_fields(boost::json::object& out);

// The stored form: the fields above plus exact at_ms and latency_us.
std::string verdict_to_json(const CheckVerdict& verdict);
std::optional<CheckVerdict> verdict_from_json(std::string_view json);

}  // namespace netwarden
