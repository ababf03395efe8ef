// The default templates (config/mail/*.txt), compiled into the library by
// embed_mail_templates.cmake so that the daemon needs no template files.
// Private to the message folder.
#pragma once

#include <string_view>

namespace netwarden::mail_detail {

// The text of config/mail/`name` ("subject.zh.txt", ...), empty when there
// is no such built-in file.
std::string_view builtin_mail_template(std::string_view name);

}  // namespace netwarden::mail_detail
