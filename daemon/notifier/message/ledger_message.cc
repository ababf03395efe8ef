#include "daemon/notifier/message/ledger_message.h"

#include "daemon/notifier/message/mail_compose.h"
#include "daemon/notifier/message/mail_wording.h"

namespace netwarden {

namespace {

std::string subject(const LedgerNotice& n, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  if (n.kind == LedgerNotice::Kind::broken) {
    return zh ? "【严重】netwarden 台账校验失败：记录可能被篡改"
              : "[CRITICAL] netwarden ledger broken: records may have been tampered with";
  }
  return zh ? "netwarden 台账每日核对点：序号 " + std::to_string(n.seq)
            : "netwarden ledger daily checkpoint: seq " + std::to_string(n.seq);
}

std::string body(const LedgerNotice& n, const Person& recipient, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  const std::string head = ledger_head_text(n.seq, n.hash);
  std::string out = zh ? recipient.name + "，您好：\n\n" : "Dear " + recipient.name + ",\n\n";
  if (n.kind == LedgerNotice::Kind::broken) {
    out += zh ? "netwarden 启动时校验事件台账，发现其被改动：\n    " + n.problem +
                    "\n\n监测照常进行；此后的记录从新的台账段开始。请保全数据库副本，并用保存的通知邮件核对：\n"
                    "    netwardend --verify-ledger 数据库副本 --anchors 邮件目录\n"
              : "At start-up netwarden verified its incident ledger and found it altered:\n    " + n.problem +
                    "\n\nMonitoring carries on; new records start a new ledger segment. Keep a copy of the database "
                    "and check it against the notifications you kept:\n"
                    "    netwardend --verify-ledger COPY.db --anchors MAIL-DIR\n";
  } else {
    out += zh ? "这是事件台账的每日核对点。请保存本邮件：日后可用它证明台账在此之前未被删改。\n\n自上一个核对点以来记录"
                "的事件：" +
                    std::to_string(n.events) + "\n"
              : "This is the incident ledger's daily checkpoint. Keep this message: it lets an audit prove the "
                "ledger was not cut back or rewritten before this point.\n\nEvents recorded since the previous "
                "checkpoint: " +
                    std::to_string(n.events) + "\n";
  }
  out += (zh ? "台账：" : "Ledger:     ") + head + "\n\n";
  out += zh ? "—— netwarden 网络安全事件监测\n" : "-- netwarden security incident monitor\n";
  return out;
}

}  // namespace

std::string_view ledger_notice_name(LedgerNotice::Kind kind) {
  return kind == LedgerNotice::Kind::broken ? "broken" : "checkpoint";
}

MailMessage compose_ledger_mail(const LedgerNotice& notice, const Person& recipient, const MailSettings& settings,
                                std::string message_id) {
  MailMessage m;
  for (MailLanguage lang : mail_languages(recipient.language)) {
    if (!m.subject.empty()) {
      m.subject += " / ";
      m.body += kLanguageSeparator;
    }
    m.subject += subject(notice, lang);
    m.body += body(notice, recipient, lang);
  }
  m.from = {settings.from_name, settings.from};
  m.to = {recipient.name, recipient.email};
  m.date = notice.now;
  m.message_id = std::move(message_id);
  m.extra_headers = {{kLedgerHeader, ledger_head_text(notice.seq, notice.hash)}, {"Auto-Submitted", "auto-generated"}};
  return m;
}

}  // namespace netwarden
