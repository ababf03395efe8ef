#include "daemon/notifier/transport/mail_transport.h"

#include "daemon/notifier/transport/transports.h"

namespace netwarden {

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
