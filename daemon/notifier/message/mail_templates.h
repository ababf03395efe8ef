// The subject and body templates of the e-mails, per language.
//
// The built-in ones are config/mail/{subject,body}.{zh,en}.txt, compiled
// into the library; [mail] templates_dir names a directory holding the same
// four files instead, for an administrator to edit. They are read and
// checked once, when the config is loaded: any error there is a config
// error, never a mail that cannot be written.
//
// Syntax:
//   {{name}}             the value of a placeholder (mail_template_placeholders())
//   {{#name}}...{{/name}} the part inside only when the value is not empty
//   {{^name}}...{{/name}} the part inside only when the value is empty
//   ## at a line's start  a comment line, removed with its line end
// A section tag alone on its line takes the whole line with it, so sections
// leave no blank lines. A subject template is one line (its final line end
// is dropped). Files are UTF-8. Pure apart from load_mail_templates().
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "daemon/notifier/message/mail_wording.h"

namespace netwarden {

// Placeholder name -> value; every known name has a value (maybe empty).
using TemplateValues = std::map<std::string, std::string, std::less<>>;

// Every name a template may use.
std::span<const std::string_view> mail_template_placeholders();

class MailTemplate {
 public:
  // Errors are "FILE:LINE:COL: message", COL counting characters from 1:
  // an unknown placeholder, "{{" without "}}", a section closed by the wrong
  // name or never closed, a close without an open, invalid UTF-8, a
  // subject of more than one line. `file` names the source in messages.
  static Result<MailTemplate> parse(std::string_view text, const std::string& file, bool one_line);

  // Missing values count as empty.
  std::string render(const TemplateValues& values) const;

  struct Node;

 private:
  std::shared_ptr<const std::vector<Node>> nodes_;  // shared: templates are immutable and copied freely
};

struct LanguageTemplates {
  MailTemplate subject;
  MailTemplate body;
};

struct MailTemplates {
  LanguageTemplates zh;
  LanguageTemplates en;
  const LanguageTemplates& in(MailLanguage lang) const { return lang == MailLanguage::zh ? zh : en; }
};

// `dir` empty: the built-in templates. Otherwise subject.zh.txt,
// body.zh.txt, subject.en.txt and body.en.txt from `dir`; an unreadable
// file is "PATH: reason".
Result<MailTemplates> load_mail_templates(const std::string& dir);

}  // namespace netwarden
