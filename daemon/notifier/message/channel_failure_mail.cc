#include "daemon/notifier/message/channel_failure_mail.h"

namespace netwarden {

MailMessage channel_failure_mail(const ChannelFailure& f, const Person& recipient, const MailSettings& settings) {
  const std::string about = f.incident != 0 ? std::to_string(f.incident) : std::string("-");
  MailMessage m;
  m.from = {settings.from_name, settings.from};
  m.to = {recipient.name, recipient.email};
  m.subject = "【通知渠道故障】" + f.channel + " 未能送达事件 " + about + " 的通知 / [Channel failed] " + f.channel +
              " could not deliver a notification about incident " + about;
  m.date = f.at;
  m.message_id =
      ledger_message_id("channel-failed." + std::to_string(f.row), f.at, recipient.id, settings.message_id_domain);
  m.extra_headers = {{"Auto-Submitted", "auto-generated"}};
  if (f.incident != 0) m.extra_headers.emplace_back("X-Netwarden-Incident", std::to_string(f.incident));
  m.body =
      "通知渠道 " + f.channel + " 放弃了发给 " + f.recipient + " 的一条通知（事件 " + about + "）。\n错误：" + f.error +
      "\n请检查该渠道的令牌、密钥和机器人设置，然后用 netwardenctl test-notify 试发。"
      "各责任人的电子邮件通知照常发送。\n"
      "\n----------------------------------------\n\n"
      "The channel " +
      f.channel + " gave up on a notification for " + f.recipient + " (incident " + about + ").\nError: " + f.error +
      "\nCheck the channel's token, secret and robot settings, then try it with netwardenctl test-notify. "
      "The e-mails to the people responsible go as usual.\n";
  return m;
}

}  // namespace netwarden
