#include "daemon/incidents/ledger_mail.h"

#include <ctime>

#include "daemon/core/recipients.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store.h"
#include "daemon/store/transaction.h"

namespace netwarden {

namespace {

constexpr std::string_view kCheckpoint = "checkpoint";

// Days since the epoch in the local time zone.
long local_day(Time t) {
  const std::time_t seconds = static_cast<std::time_t>(to_unix_ms(t) / 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  return static_cast<long>((seconds + local.tm_gmtoff) / 86400);
}

Result<bool> checkpoint_in_transaction(Store& store, const Config& config, Time now) {
  auto last = last_ledger_row(store, kCheckpoint);
  if (!last) return std::unexpected(last.error());
  if (*last && local_day((*last)->event.at) == local_day(now)) return false;
  auto head = ledger_head(store);
  if (!head) return std::unexpected(head.error());
  // The checkpoint row itself is not counted: it is the next day's first.
  const std::int64_t events = head->seq - (*last ? (*last)->seq : 0);
  // Nothing new since the last anchor: it still pins the head.
  if (events == 0) return false;
  LedgerNotice notice{LedgerNotice::Kind::checkpoint, now, 0, "", events, ""};
  if (auto queued = queue_ledger_notice(store, config, notice); !queued) return std::unexpected(queued.error());
  const std::string details = R"({"seq":)" + std::to_string(head->seq) + R"(,"hash":")" + head->hash +
                              R"(","events":)" + std::to_string(events) + "}";
  auto appended = append_ledger(store, LedgerEvent{now, std::nullopt, std::string(kCheckpoint), "netwardend", details});
  if (!appended) return std::unexpected(appended.error());
  return true;
}

}  // namespace

std::vector<std::string> ledger_recipients(const Config& config) {
  if (!config.institution.office.empty()) {
    std::vector<std::string> office;
    add_distinct(office, config.institution.office);
    return office;
  }
  std::vector<std::string> tops;
  for (const auto& [id, chain] : config.chains) {
    if (!chain.steps.empty()) add_distinct(tops, step_recipients(config, "", chain.steps.back()));
  }
  return tops;
}

Result<std::size_t> queue_ledger_notice(Store& store, const Config& config, LedgerNotice notice) {
  auto head = ledger_head(store);
  if (!head) return std::unexpected(head.error());
  notice.seq = head->seq;
  notice.hash = head->hash;
  std::size_t queued = 0;
  for (const auto& id : ledger_recipients(config)) {
    auto person = config.people.find(id);
    if (person == config.people.end()) continue;
    OutboxMessage row;
    row.incident_id = 0;
    row.person = id;
    row.address = person->second.email;
    row.message_id = ledger_message_id(ledger_notice_name(notice.kind), notice.now, id, config.mail.message_id_domain);
    row.reasons = notice.kind == LedgerNotice::Kind::broken ? "ledger broken" : "ledger checkpoint";
    row.data = render_rfc5322(compose_ledger_mail(notice, person->second, config.mail, row.message_id));
    row.created_at = notice.now;
    if (auto enqueued = enqueue_message(store, row); !enqueued) return std::unexpected(enqueued.error());
    ++queued;
  }
  return queued;
}

Result<bool> queue_daily_checkpoint(Store& store, const Config& config, Time now) {
  return in_transaction(store, [&] { return checkpoint_in_transaction(store, config, now); });
}

}  // namespace netwarden
