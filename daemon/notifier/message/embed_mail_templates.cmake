# Writes OUTPUT, a C++ source defining builtin_mail_template(), from the
# template files NAMES in SOURCE_DIR. Run at build time (cmake -P), so an
# edited template rebuilds the library.
set(cases "")
foreach(name IN LISTS NAMES)
  file(READ "${SOURCE_DIR}/${name}" text)
  if(text MATCHES "\\)nw_mail_tpl\"")
    message(FATAL_ERROR "${SOURCE_DIR}/${name} contains the raw string delimiter")
  endif()
  string(APPEND cases "  if (name == \"${name}\") return R\"nw_mail_tpl(${text})nw_mail_tpl\";\n")
endforeach()
file(WRITE "${OUTPUT}" "// Generated from config/mail by embed_mail_templates.cmake; do not edit.
#include \"daemon/notifier/message/builtin_mail_templates.h\"

namespace netwarden::mail_detail {

std::string_view builtin_mail_template(std::string_view name) {
${cases}  return {};
}

}  // namespace netwarden::mail_detail
")
