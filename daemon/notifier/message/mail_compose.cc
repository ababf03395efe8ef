#include "daemon/notifier/message/mail_compose.h"

namespace netwarden {

namespace {

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::string local_time(const std::optional<Time>& t) { return t ? format_local(*t) : ""; }

// One line per item, each worded by `text`.
template <class Item, class Text>
std::string lines_of(const std::vector<Item>& items, Text text) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(text(item));
  return lines(out);
}

// What the check found: the web check's results and the page's evidence.
void add_evidence(TemplateValues& v, const MailContext& c, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  const MailEvidence& e = c.evidence;
  v["http_status"] = e.http_status ? std::to_string(*e.http_status) : "";
  v["latency"] = e.latency_ms ? std::to_string(*e.latency_ms) + (zh ? " 毫秒" : " ms") : "";
  v["final_url"] = e.final_url;
  v["remote_address"] = e.remote_address;
  v["tls"] = e.tls_detail;
  v["certificate"] = e.cert_days_left ? certificate_text(*e.cert_days_left, lang) : "";
  v["keywords"] = joined(e.keywords, lang);
  v["keyword_hits"] = lines_of(e.keyword_hits, [lang](const KeywordHit& h) { return keyword_hit_text(h, lang); });
  auto finding = [lang](const PageFinding& f) { return finding_text(f, lang); };
  v["hidden_links"] = lines_of(e.hidden_links, finding);
  v["foreign_code"] = lines_of(e.foreign_code, finding);
  v["personal_data"] =
      lines_of(e.personal_data, [lang](const PersonalDataFinding& f) { return personal_data_text(f, lang); });
  v["destinations"] = lines(e.destinations);
  std::vector<std::string> diff;
  diff.reserve(c.diff.lines.size() + 1);
  for (const auto& line : c.diff.lines) diff.push_back((line.added ? "+ " : "- ") + line.text);
  if (c.diff.omitted > 0) diff.push_back(more_changes_text(c.diff.omitted, lang));
  v["diff"] = lines(diff);
}

}  // namespace

TemplateValues template_values(const MailContext& c, const Person& recipient, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  TemplateValues v;
  v["recipient"] = recipient.name.empty() ? recipient.id : recipient.name;
  v["incident"] = std::to_string(c.incident);
  v["drill"] = c.drill ? std::string(drill_word(lang)) : "";
  v["late"] = c.late ? std::string(late_notice(lang)) : "";
  v["severity"] = severity_name(c.severity, lang);
  v["kind"] = kind_name(c.kind, lang);
  v["crawl"] = c.crawl ? std::string(crawl_words(lang)) : "";
  v["target"] = c.target_name;
  v["target_id"] = c.target_id;
  v["url"] = c.url;
  v["host"] = c.host;
  v["unit"] = c.unit_name;
  std::vector<std::string> responsible;
  responsible.reserve(c.responsible.size());
  for (const auto& holders : c.responsible) {
    responsible.push_back(std::string(role_name(holders.role, lang)) + (zh ? "：" : ": ") +
                          joined(holders.names, lang));
  }
  v["responsible"] = lines(responsible);
  v["notified"] = joined(c.notified, lang);
  v["started_at"] = format_local(c.started_at);
  v["detected_at"] = format_local(c.detected_at);
  v["elapsed"] = duration_text(c.elapsed, lang);
  v["threshold"] = c.threshold ? duration_text(*c.threshold, lang) : "";
  v["deadline"] = c.threshold ? format_local(c.started_at + *c.threshold) : "";
  const bool counting = c.threshold && !c.crossed_at && !c.resolved_at && c.elapsed < *c.threshold;
  v["time_left"] = counting ? duration_text(*c.threshold - c.elapsed, lang) : "";
  v["crossed_at"] = local_time(c.crossed_at);
  v["resolved_at"] = local_time(c.resolved_at);
  v["resolved_by"] = c.resolved_by;
  v["acknowledged_at"] = local_time(c.acknowledged_at);
  v["acknowledged_by"] = c.acknowledged_by;
  v["reasons"] = reasons_text(c.reasons, lang);
  v["detail"] = c.detail;
  // Acknowledging is only possible once, while the incident is open.
  v["ack_command"] = c.resolved_at || c.acknowledged_at ? "" : c.ack_command;

  add_evidence(v, c, lang);
  v["ledger"] = c.ledger_hash.empty() ? "" : ledger_head_text(c.ledger_seq, c.ledger_hash);
  return v;
}

MailMessage compose_mail(const MailContext& context, const Person& recipient, const MailTemplates& templates,
                         const MailSettings& settings, std::string message_id, std::vector<std::string> thread) {
  MailMessage m;
  for (MailLanguage lang : mail_languages(recipient.language)) {
    const TemplateValues values = template_values(context, recipient, lang);
    if (!m.subject.empty()) {
      m.subject += " / ";
      m.body += kLanguageSeparator;
    }
    m.subject += templates.in(lang).subject.render(values);
    m.body += templates.in(lang).body.render(values);
    if (!m.body.empty() && m.body.back() != '\n') m.body += '\n';
  }
  m.from = {settings.from_name, settings.from};
  m.to = {recipient.name, recipient.email};
  m.date = context.now;
  m.message_id = std::move(message_id);
  if (!thread.empty()) m.in_reply_to = thread.back();
  m.references = std::move(thread);
  m.extra_headers = {{"X-Netwarden-Incident", std::to_string(context.incident)},
                     // RFC 3834: no vacation replies or bounces loops to the monitor.
                     {"Auto-Submitted", "auto-generated"}};
  if (!context.ledger_hash.empty()) {
    m.extra_headers.emplace_back(kLedgerHeader, ledger_head_text(context.ledger_seq, context.ledger_hash));
  }
  return m;
}

}  // namespace netwarden
