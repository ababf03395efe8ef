#include "daemon/notifier/alarm/office_alarm.h"

#include <spdlog/spdlog.h>

#include "daemon/notifier/transport/mail_transport.h"
#include "daemon/store/write_health.h"

namespace netwarden {

namespace {

OutgoingMail outgoing(const MailSettings& mail, const MailMessage& m) {
  return OutgoingMail{m.message_id, mail.from, {m.to.address}, render_rfc5322(m)};
}

// Tries the configured transport, then the fallback spool; says what
// happened to each message.
void deliver(const Config& config, const std::string& fallback_dir, const std::vector<MailMessage>& messages) {
  auto configured = make_mail_transport(config.mail, config.daemon.state_dir);
  MailSettings spool = config.mail;
  spool.transport = "spool";
  spool.spool_dir = fallback_dir;
  auto fallback = make_mail_transport(spool, config.daemon.state_dir);
  for (const auto& m : messages) {
    const OutgoingMail mail = outgoing(config.mail, m);
    std::string why = configured ? "" : configured.error().message;
    if (configured) {
      auto sent = (*configured)->send(mail);
      if (sent) {
        spdlog::warn("store failing: the office ({}) was told by {}", m.to.address, (*configured)->describe());
        continue;
      }
      why = sent.error().message;
    }
    if (fallback) {
      if (auto spooled = (*fallback)->send(mail)) {
        spdlog::error("store failing: the message to {} could not be sent ({}); it is in {}", m.to.address, why,
                      fallback_dir);
        continue;
      } else {
        why += "; fallback spool: " + spooled.error().message;
      }
    } else {
      why += "; fallback spool: " + fallback.error().message;
    }
    spdlog::critical("store failing: the office ({}) could not be told: {}", m.to.address, why);
  }
}

}  // namespace

std::vector<MailMessage> store_failing_messages(const Config& config, const WriteFailure& failure,
                                                const std::string& host) {
  std::vector<MailMessage> out;
  for (const auto& id : config.institution.office) {
    auto person = config.people.find(id);
    if (person == config.people.end() || person->second.email.empty()) continue;
    MailMessage m;
    m.from = {config.mail.from_name, config.mail.from};
    m.to = {person->second.name, person->second.email};
    m.subject = "【netwarden】" + host + " 无法记录事件决定 / STORE FAILING: incidents are not being recorded";
    m.date = failure.since;
    m.message_id = "<netwarden.store-failing." + std::to_string(to_unix_ms(failure.since)) + "." + id + "@" +
                   config.mail.message_id_domain + ">";
    m.extra_headers = {{"Auto-Submitted", "auto-generated"}, {"X-Netwarden-Alarm", "store-failing"}};
    m.body = "netwardend 在 " + host + " 上自 " + format_local(failure.since) + " 起无法写入其数据库（" +
             config.daemon.state_dir +
             "）。\n"
             "错误：" +
             failure.error +
             "\n"
             "监测仍在进行；事件决定每秒重试，恢复写入后所欠的通知会补发并标明迟发。请尽快检查该目录所在磁盘。\n\n"
             "netwardend on " +
             host + " cannot write its database (" + config.daemon.state_dir + ") since " +
             format_local(failure.since) +
             ".\n"
             "Error: " +
             failure.error +
             "\n"
             "Monitoring goes on; incident decisions are retried every second, and every notification owed is "
             "queued, marked late, once writes work again. Check the disk of that directory now.\n";
    out.push_back(std::move(m));
  }
  return out;
}

OfficeAlarm::OfficeAlarm(const Config& config, std::string fallback_dir)
    : config_(config), fallback_dir_(std::move(fallback_dir)) {}

OfficeAlarm::~OfficeAlarm() {
  if (worker_.joinable()) worker_.join();
}

void OfficeAlarm::alarm(const WriteFailure& failure) {
  auto messages = store_failing_messages(config_, failure, local_host_name());
  if (messages.empty()) {
    spdlog::warn("store failing: no office person with an e-mail address in [institution] office to tell");
    return;
  }
  if (busy_.exchange(true)) {
    spdlog::warn("store failing again: the office is still being told of the previous failure");
    return;
  }
  if (worker_.joinable()) worker_.join();
  worker_ = std::thread([this, messages = std::move(messages)] {
    deliver(config_, fallback_dir_, messages);
    busy_ = false;
  });
}

}  // namespace netwarden
