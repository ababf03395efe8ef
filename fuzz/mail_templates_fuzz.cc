// Fuzz target: an administrator's mail template through the parser and,
// when it parses, the renderer with every placeholder set. The first input
// byte picks subject (one line) or body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/notifier/message/mail_templates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool one_line = data[0] & 1;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto parsed = netwarden::MailTemplate::parse(text, "fuzz.txt", one_line);
  if (!parsed) return 0;
  netwarden::TemplateValues values;
  bool empty = false;
  for (const std::string_view name : netwarden::mail_template_placeholders()) {
    values[std::string(name)] = empty ? "" : "值 " + std::string(name);  // alternate so both section kinds run
    empty = !empty;
  }
  (void)parsed->render(values);
  return 0;
}
