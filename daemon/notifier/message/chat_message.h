// The message a chat robot or webhook gets about an incident: short, in the
// same words and languages as the e-mail's subject, with the incident's
// facts as fields. It is what the outbox keeps for a channel delivery
// (as JSON), so a retry sends what was first decided; each channel renders
// it in its own request format when sending (daemon/notifier/channels).
// Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "daemon/notifier/message/mail_context.h"
#include "daemon/notifier/message/mail_templates.h"

namespace netwarden {

struct ChatMessage {
  std::string event = "notification";  // or "test"
  std::int64_t incident = 0;           // 0 for a test
  std::string target;                  // the target's id
  std::string kind;                    // to_string(IncidentKind), e.g. "site_down"
  std::string severity;                // to_string(Severity)
  std::string unit;                    // the owning unit's id
  std::string reasons;                 // "step 2", in English, for machines
  std::int64_t elapsed_s = 0;
  std::optional<std::int64_t> threshold_s;  // none: the kind has no outage threshold
  std::string title;                        // one line
  std::string text;                         // a few lines, each language in turn
  // The facts as short Chinese words, by the names of kSmsFields (config.h):
  // "kind" 无法访问, "elapsed" 3小时5分, ... An SMS template takes values,
  // not text, and the templates are approved in Chinese.
  std::map<std::string, std::string> words;
  std::string mobile;  // an SMS's recipient, 11 digits; "" for robots and webhooks
  // For a DingTalk robot with `mention`: the mobiles of the people told, to @.
  std::vector<std::string> mentions;

  bool operator==(const ChatMessage&) const = default;
};

// Worded for `language` ("zh", "en" or "zh+en", as a person's): per
// language the e-mail subject's line, why it is sent and how to
// acknowledge. The title is the first language's subject line. No mobile.
ChatMessage compose_chat(const MailContext& context, const MailTemplates& templates, std::string_view language);

// Several messages due for one robot at once, as one (the robots take 20
// a minute): "3 条网络安全事件通知 / 3 security incident notifications",
// then each message's text in turn. Its fields other than the title and
// text are the first message's; the mentions are all of theirs, each once.
ChatMessage merged_chat(const std::vector<ChatMessage>& messages);

// The JSON object of every field, keys as the names above ("words" an
// object): the outbox's copy, and the body a generic webhook receives.
std::string chat_message_json(const ChatMessage& message);
Result<ChatMessage> chat_message_from_json(std::string_view json);

}  // namespace netwarden
