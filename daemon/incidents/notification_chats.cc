#include "daemon/incidents/notification_chats.h"

#include <algorithm>
#include <map>

#include "daemon/incidents/notification_channels.h"
#include "daemon/notifier/message/chat_message.h"
#include "daemon/notifier/message/mail_context.h"
#include "daemon/notifier/message/mail_message.h"
#include "daemon/store/outbox.h"

namespace netwarden {

namespace {

constexpr std::string_view kGroupLanguage = "zh+en";

struct Delivery {
  std::string channel;
  std::string recipient;  // a person id, "unit ID" or "institution"
  std::string language;
  std::string mobile;                 // for an SMS channel
  std::vector<std::string> mentions;  // for a group robot that @s the people told
};

Result<void> enqueue_chat(Store& store, const Config& config, const MailTemplates& templates,
                          const MailContext& context, const Notification& n, const Delivery& d, Time now) {
  ChatMessage message = compose_chat(context, templates, d.language);
  message.mobile = d.mobile;
  message.mentions = d.mentions;
  OutboxMessage row;
  row.incident_id = n.incident;
  row.channel = d.channel;
  row.person = d.recipient;
  row.address = d.mobile.empty() ? "channel " + d.channel : "channel " + d.channel + " to " + d.mobile;
  // The recipient and channel together name it, so it is unique as an
  // e-mail's Message-ID is.
  row.message_id =
      notification_message_id(n.incident, n.reasons, now, d.recipient + "." + d.channel, config.mail.message_id_domain);
  row.reasons = n.late ? n.reasons_text() + " (late)" : n.reasons_text();
  row.data = chat_message_json(message);
  row.created_at = now;
  if (auto queued = enqueue_message(store, row); !queued) return std::unexpected(queued.error());
  return {};
}

// Everything the decision tells anyone about one incident, for its group
// message: the reasons of all its notifications, each once.
Notification group_notification(const Decisions& decisions, IncidentId incident) {
  Notification group{incident, "", {}, false};
  for (const Notification& n : decisions.notifications) {
    if (n.incident != incident) continue;
    for (const NotifyReason& r : n.reasons) {
      if (std::ranges::find(group.reasons, r) == group.reasons.end()) group.reasons.push_back(r);
    }
    group.late = group.late || n.late;
  }
  return group;
}

// The mobiles of the people the decision told about `incident`, each once,
// for a robot that @s them.
std::vector<std::string> told_mobiles(const Config& config, const Decisions& decisions, IncidentId incident) {
  std::vector<std::string> mobiles;
  for (const Notification& n : decisions.notifications) {
    const auto person = config.people.find(n.person);
    if (n.incident != incident || person == config.people.end() || person->second.mobile.empty()) continue;
    if (std::ranges::find(mobiles, person->second.mobile) == mobiles.end()) mobiles.push_back(person->second.mobile);
  }
  return mobiles;
}

}  // namespace

Result<void> queue_notification_chats(Store& store, const Config& config, const MailTemplates& templates,
                                      const Decisions& decisions, Time now) {
  if (config.channels.empty()) return {};
  std::vector<IncidentId> told;  // each incident once, in the decision's order
  for (const Notification& n : decisions.notifications) {
    const auto incident = std::ranges::find(decisions.incidents, n.incident, &Incident::id);
    const auto person = config.people.find(n.person);
    if (incident == decisions.incidents.end() || person == config.people.end()) continue;
    if (std::ranges::find(told, n.incident) == told.end()) told.push_back(n.incident);
    const MailContext context = mail_context(config, *incident, n, MailEvidence{}, now);
    for (const std::string& channel : notification_channels(config, *incident, n)) {
      if (channel == "email") continue;
      const auto kind = config.channels.find(channel);
      const bool sms = kind != config.channels.end() && is_sms(kind->second.kind);
      const Delivery d{channel, n.person, person->second.language, sms ? person->second.mobile : "", {}};
      if (auto queued = enqueue_chat(store, config, templates, context, n, d, now); !queued) return queued;
    }
  }
  for (IncidentId id : told) {
    const Incident& incident = *std::ranges::find(decisions.incidents, id, &Incident::id);
    const Notification group = group_notification(decisions, id);
    const MailContext context = mail_context(config, incident, group, MailEvidence{}, now);
    std::vector<Delivery> deliveries;
    if (auto unit = config.units.find(context.unit_id); unit != config.units.end()) {
      for (const std::string& channel : unit->second.channels) {
        deliveries.push_back({channel, "unit " + unit->first, std::string(kGroupLanguage), "", {}});
      }
    }
    for (const std::string& channel : config.institution.channels) {
      deliveries.push_back({channel, "institution", std::string(kGroupLanguage), "", {}});
    }
    for (Delivery& d : deliveries) {
      const auto channel = config.channels.find(d.channel);
      if (channel != config.channels.end() && channel->second.mention) d.mentions = told_mobiles(config, decisions, id);
      if (auto queued = enqueue_chat(store, config, templates, context, group, d, now); !queued) return queued;
    }
  }
  return {};
}

}  // namespace netwarden
