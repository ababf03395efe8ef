#include "daemon/notifier/transport/mail_transport.h"

#include <unistd.h>

#include "daemon/notifier/transport/transports.h"

namespace netwarden {

std::string local_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

Result<std::unique_ptr<MailTransport>> make_mail_transport(const MailSettings& settings, const std::string& state_dir) {
  using namespace transport_detail;
  if (settings.transport == "smtp") return make_smtp_transport(settings);
  if (settings.transport == "sendmail") return make_sendmail_transport(settings);
  if (settings.transport == "spool") {
    return make_spool_transport(settings.spool_dir.empty() ? state_dir + "/mail-spool" : settings.spool_dir);
  }
  return fail("unknown mail transport \"" + settings.transport + "\"");
}

}  // namespace netwarden
