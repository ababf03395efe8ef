#include "daemon/notifier/message/test_message.h"

#include <string>

namespace netwarden {

namespace {

constexpr std::string_view kTitle = "【测试】网络安全事件通知测试 / [TEST] netwarden notification test";

std::string test_text(std::string_view actor, Time now) {
  const std::string who(actor);
  const std::string when = format_local(now);
  return std::string(kTitle) + "\n这是 " + who + " 于 " + when +
         " 用 netwardenctl test-notify 发出的测试消息，无需处理。\nA test message sent by " + who + " at " + when +
         " with netwardenctl test-notify; nothing needs doing.";
}

}  // namespace

ChatMessage test_chat(std::string_view actor, Time now) {
  ChatMessage m;
  m.event = "test";
  m.title = std::string(kTitle);
  m.text = test_text(actor, now);
  // An SMS template carries the incident's facts: each says it is a test,
  // the number a 0 for templates whose variable takes digits only.
  for (const char* field : kSmsFields) m.words[field] = "测试";
  m.words["incident"] = "0";
  return m;
}

MailMessage test_mail(const Person& recipient, const MailSettings& settings, std::string_view actor, Time now) {
  MailMessage m;
  m.from = {settings.from_name, settings.from};
  m.to = {recipient.name, recipient.email};
  m.subject = std::string(kTitle);
  m.date = now;
  m.message_id = ledger_message_id("test", now, recipient.id, settings.message_id_domain);
  m.extra_headers = {{"Auto-Submitted", "auto-generated"}};
  m.body = test_text(actor, now) + "\n";
  return m;
}

}  // namespace netwarden
