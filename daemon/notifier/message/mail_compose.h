// Turning a MailContext into the e-mail one person receives: the values of
// the template placeholders in that person's language(s), the subject and
// body from the templates, and the headers that thread it. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/notifier/message/mail_context.h"
#include "daemon/notifier/message/mail_message.h"
#include "daemon/notifier/message/mail_templates.h"
#include "daemon/notifier/message/mail_wording.h"

namespace netwarden {

// Between the languages of a "zh+en" message.
inline constexpr std::string_view kLanguageSeparator = "\n----------------------------------------\n\n";

// A value for every name of mail_template_placeholders(), worded in `lang`.
TemplateValues template_values(const MailContext& context, const Person& recipient, MailLanguage lang);

// Language "zh+en": the subjects joined by " / ", the bodies by a separator
// line. `thread`: Message-IDs of earlier messages about the incident to this
// person, thread root first; empty for the first. Date is context.now; From
// is settings.from_name <settings.from>.
MailMessage compose_mail(const MailContext& context, const Person& recipient, const MailTemplates& templates,
                         const MailSettings& settings, std::string message_id, std::vector<std::string> thread);

}  // namespace netwarden
