// The words of the e-mails in Chinese and English: grades, kinds, roles,
// durations, why someone is told. Kept apart from the templates so that an
// administrator's own templates get the same vocabulary. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "daemon/core/decisions.h"
#include "daemon/core/incident.h"
#include "probes/content/digest_result.h"

namespace netwarden {

enum class MailLanguage { zh, en };

// A person's `language` setting: "zh", "en", or "zh+en" (also anything
// else: Chinese first, then English).
std::vector<MailLanguage> mail_languages(std::string_view setting);

std::string_view severity_name(Severity severity, MailLanguage lang);  // 重大 / major
std::string_view kind_name(IncidentKind kind, MailLanguage lang);      // 无法访问 / unreachable
// A role of kRoleNames (config.h); an unknown name comes back as it is.
std::string_view role_name(std::string_view role, MailLanguage lang);  // 单位负责人 / head of unit

// Whole minutes from an hour on ("2小时10分", "2h 10m"), minutes and
// seconds below ("5分30秒", "5m 30s"), days past 24 hours ("1天2小时").
std::string duration_text(Duration d, MailLanguage lang);
// "第2级通知" / "step 2", "距阈值还剩1小时" / "1h left before the threshold", ...
std::string reason_text(const NotifyReason& reason, MailLanguage lang);
// All of them, in order, joined as the language lists clauses ("；" / "; ").
std::string reasons_text(const std::vector<NotifyReason>& reasons, MailLanguage lang);

// Joins items the way the language lists them ("张伟、李娜" / "Zhang, Li").
std::string joined(const std::vector<std::string>& items, MailLanguage lang);

// One line of evidence: "博彩（赌博类、见于正文、3处）：“……在线博彩……”" /
// "博彩 (gambling, in text, 3 times): "…"". The quote is the page's own text.
std::string keyword_hit_text(const KeywordHit& hit, MailLanguage lang);
// "http://bet.example/ (display:none on <div class="f">)".
std::string finding_text(const PageFinding& finding, MailLanguage lang);
// "ID numbers: 3 (110105********123X, 440306********1232, ...)"; the examples are masked.
std::string personal_data_text(const PersonalDataFinding& finding, MailLanguage lang);

// Sentences the templates get as values.
std::string_view drill_word(MailLanguage lang);   // 演练 / DRILL
std::string_view crawl_words(MailLanguage lang);  // 全站巡查 / site crawl
std::string_view late_notice(MailLanguage lang);  // fell due while the monitor was not running
std::string certificate_text(int days_left, MailLanguage lang);
std::string more_changes_text(std::size_t lines, MailLanguage lang);

}  // namespace netwarden
