#include "daemon/incidents/channel_failure_notice.h"

#include "daemon/incidents/ledger_mail.h"

namespace netwarden {

std::vector<OutboxMessage> channel_failure_notices(const Config& config, const ChannelFailure& failure) {
  std::vector<OutboxMessage> rows;
  for (const std::string& id : ledger_recipients(config)) {
    const auto person = config.people.find(id);
    if (person == config.people.end() || person->second.email.empty()) continue;
    const MailMessage mail = channel_failure_mail(failure, person->second, config.mail);
    OutboxMessage row;
    row.incident_id = failure.incident;
    row.person = id;
    row.address = person->second.email;
    row.message_id = mail.message_id;
    row.reasons = "channel " + failure.channel + " failed";
    row.data = render_rfc5322(mail);
    row.created_at = failure.at;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace netwarden
