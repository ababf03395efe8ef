#include "daemon/notifier/message/chat_message.h"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "daemon/notifier/message/mail_compose.h"
#include "daemon/notifier/message/mail_wording.h"

namespace netwarden {

namespace {

// Why it is sent and what to do, below the subject line.
std::string what_to_do(const MailContext& c, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  std::string text = (zh ? "事件编号：" : "Incident: #") + std::to_string(c.incident);
  const std::string reasons = reasons_text(c.reasons, lang);
  if (!reasons.empty()) text += (zh ? "\n通知原因：" : "\nWhy: ") + reasons;
  const bool open = !c.resolved_at && !c.acknowledged_at;
  if (open && !c.ack_command.empty())
    text += (zh ? "\n处置后请确认：" : "\nAcknowledge when handled: ") + c.ack_command;
  return text;
}

std::map<std::string, std::string> chat_words(const MailContext& c) {
  constexpr MailLanguage zh = MailLanguage::zh;
  return {{"incident", std::to_string(c.incident)},
          {"target", c.target_id},
          {"site", c.target_name},
          {"kind", std::string(kind_name(c.kind, zh))},
          {"severity", std::string(severity_name(c.severity, zh))},
          {"unit", c.unit_name.empty() ? "无" : c.unit_name},
          {"elapsed", duration_text(c.elapsed, zh)},
          {"threshold", c.threshold ? duration_text(*c.threshold, zh) : "无"},
          {"reason", c.reasons.empty() ? "通知" : reasons_text(c.reasons, zh)}};
}

}  // namespace

ChatMessage compose_chat(const MailContext& c, const MailTemplates& templates, std::string_view language) {
  ChatMessage m;
  m.incident = c.incident;
  m.target = c.target_id;
  m.kind = std::string(to_string(c.kind));
  m.severity = std::string(to_string(c.severity));
  m.unit = c.unit_id;
  m.reasons = reasons_text(c.reasons, MailLanguage::en);
  m.elapsed_s = std::chrono::duration_cast<std::chrono::seconds>(c.elapsed).count();
  if (c.threshold) m.threshold_s = std::chrono::duration_cast<std::chrono::seconds>(*c.threshold).count();
  m.words = chat_words(c);
  // Nobody in particular is addressed: the group reads it.
  Person group;
  group.name = c.unit_name;
  for (MailLanguage lang : mail_languages(language)) {
    const std::string subject = templates.in(lang).subject.render(template_values(c, group, lang));
    if (m.title.empty()) m.title = subject;
    if (!m.text.empty()) m.text += "\n\n";
    m.text += subject + "\n" + what_to_do(c, lang);
  }
  return m;
}

ChatMessage merged_chat(const std::vector<ChatMessage>& messages) {
  ChatMessage merged = messages.front();
  const std::string n = std::to_string(messages.size());
  merged.title = n + " 条网络安全事件通知 / " + n + " security incident notifications";
  merged.text = merged.title;
  for (const ChatMessage& m : messages) {
    merged.text += "\n\n————————\n" + m.text;
    for (const std::string& mobile : m.mentions) {
      if (std::ranges::find(merged.mentions, mobile) == merged.mentions.end()) merged.mentions.push_back(mobile);
    }
  }
  return merged;
}

std::string chat_message_json(const ChatMessage& m) {
  boost::json::object o;
  o["event"] = m.event;
  o["incident"] = m.incident;
  o["target"] = m.target;
  o["kind"] = m.kind;
  o["severity"] = m.severity;
  o["unit"] = m.unit;
  o["reasons"] = m.reasons;
  o["elapsed_s"] = m.elapsed_s;
  if (m.threshold_s) {
    o["threshold_s"] = *m.threshold_s;
  } else {
    o["threshold_s"] = nullptr;
  }
  o["title"] = m.title;
  o["text"] = m.text;
  boost::json::object words;
  for (const auto& [field, value] : m.words) words[field] = value;
  o["words"] = std::move(words);
  o["mobile"] = m.mobile;
  o["mentions"] = boost::json::array(m.mentions.begin(), m.mentions.end());
  return boost::json::serialize(o);
}

Result<ChatMessage> chat_message_from_json(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return fail("chat message: not a JSON object");
  const auto& o = v.get_object();
  ChatMessage m;
  auto text = [&](std::string_view key, std::string& out) {
    if (const auto* f = o.if_contains(key); f != nullptr && f->is_string()) out = f->get_string();
  };
  auto number = [&](std::string_view key) -> std::optional<std::int64_t> {
    if (const auto* f = o.if_contains(key); f != nullptr && f->is_int64()) return f->get_int64();
    return std::nullopt;
  };
  text("event", m.event);
  m.incident = number("incident").value_or(0);
  text("target", m.target);
  text("kind", m.kind);
  text("severity", m.severity);
  text("unit", m.unit);
  text("reasons", m.reasons);
  m.elapsed_s = number("elapsed_s").value_or(0);
  m.threshold_s = number("threshold_s");
  text("title", m.title);
  text("text", m.text);
  if (const auto* words = o.if_contains("words"); words != nullptr && words->is_object()) {
    for (const auto& [field, value] : words->get_object()) {
      if (value.is_string()) m.words.emplace(field, value.get_string());
    }
  }
  text("mobile", m.mobile);
  if (const auto* mentions = o.if_contains("mentions"); mentions != nullptr && mentions->is_array()) {
    for (const auto& mobile : mentions->get_array()) {
      if (mobile.is_string()) m.mentions.emplace_back(mobile.get_string());
    }
  }
  if (m.title.empty()) return fail("chat message: no title");
  return m;
}

}  // namespace netwarden
