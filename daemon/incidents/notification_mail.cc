#include "daemon/incidents/notification_mail.h"

#include "daemon/incidents/notification_channels.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <iterator>
#include <map>

#include "daemon/core/crawl_report.h"
#include "daemon/notifier/message/mail_compose.h"
#include "daemon/notifier/message/mail_context.h"
#include "daemon/store/crawl_pages.h"
#include "daemon/store/ledger.h"
#include "daemon/store/outbox.h"
#include "daemon/store/page_evidence_json.h"
#include "daemon/store/store.h"

namespace netwarden {

namespace {

std::vector<std::string> strings_in(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* list = o.if_contains(key); list != nullptr && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

void read_page_evidence(const boost::json::object& page, MailEvidence& e) {
  PageEvidence read = page_evidence_from(page);
  e.keyword_hits = std::move(read.harmful_hits);
  e.hidden_links = std::move(read.hidden_links);
  e.foreign_code = std::move(read.foreign_code);
}

// What the crawl's pages showed as last inspected, each finding naming
// its page.
Result<MailEvidence> crawl_evidence(Store& store, const std::string& target) {
  auto crawl = load_crawl(store, target);
  if (!crawl) return std::unexpected(crawl.error());
  MailEvidence e;
  for (const CrawlPageRow& page : crawl->pages) {
    PageEvidence read = page_evidence_from_text(page.evidence);
    for (KeywordHit& h : read.harmful_hits) {
      if (std::ranges::find(e.keywords, h.keyword) == e.keywords.end()) e.keywords.push_back(h.keyword);
      e.keyword_hits.push_back(std::move(h));
    }
    std::ranges::move(read.hidden_links, std::back_inserter(e.hidden_links));
    std::ranges::move(read.foreign_code, std::back_inserter(e.foreign_code));
    std::ranges::move(read.personal_data, std::back_inserter(e.personal_data));
  }
  return e;
}

// What the latest check of the target found, and for a content change
// both sides of the text.
Result<MailEvidence> evidence_for(Store& store, const Incident& incident) {
  MailEvidence e;
  if (incident.kind == IncidentKind::isolation_breach) {
    // A watch has no web samples: its evidence is the destinations.
    if (!incident.detail.empty()) e.destinations.push_back(incident.detail);
    return e;
  }
  // A crawl's findings are on other pages than the one the samples are of.
  if (incident.subject == kCrawlSubject) return crawl_evidence(store, incident.target);
  auto samples = store.samples(incident.target, 1);
  if (!samples) return std::unexpected(samples.error());
  if (!samples->empty()) {
    const Sample& s = samples->front();
    if (s.status != 0) e.http_status = s.status;
    e.latency_ms = s.total_us / 1000;
    e.remote_address = s.remote_address;
    e.cert_days_left = s.cert_days_left;
    boost::system::error_code ec;
    auto details = boost::json::parse(s.details_json, ec);
    if (!ec && details.is_object()) {
      const auto& d = details.get_object();
      if (const auto* url = d.if_contains("final_url"); url != nullptr && url->is_string()) {
        e.final_url = url->get_string();
      }
      // Cloaking's evidence is what the variant showed, not the plain page.
      const auto* cloaking = d.if_contains("cloaking");
      if (incident.kind == IncidentKind::cloaking && cloaking != nullptr && cloaking->is_object()) {
        read_page_evidence(cloaking->get_object(), e);
        for (const KeywordHit& h : e.keyword_hits) e.keywords.push_back(h.keyword);
      } else {
        e.keywords = strings_in(d, "harmful");
        read_page_evidence(d, e);
      }
      e.personal_data = personal_data_from(d);
    }
  }
  if (incident.kind == IncidentKind::tls_problem) e.tls_detail = incident.detail;
  if (incident.kind == IncidentKind::content_changed) {
    auto text = store.latest_content_change(incident.target, "text");
    if (!text) return std::unexpected(text.error());
    if (*text) {
      e.old_text = (*text)->old_content;
      e.new_text = (*text)->new_content;
    }
  }
  return e;
}

}  // namespace

Result<void> queue_notification_mails(Store& store, const Config& config, const MailTemplates& templates,
                                      const Decisions& decisions, Time now) {
  if (decisions.notifications.empty()) return {};
  // Read inside the transaction that recorded the decisions' events: the
  // head each message carries is the one after them.
  auto head = ledger_head(store);
  if (!head) return std::unexpected(head.error());
  // Everyone told about one incident in one decision gets the same evidence.
  std::map<IncidentId, MailEvidence> evidence;
  for (const auto& n : decisions.notifications) {
    auto incident = std::find_if(decisions.incidents.begin(), decisions.incidents.end(),
                                 [&](const Incident& i) { return i.id == n.incident; });
    auto person = config.people.find(n.person);
    if (incident == decisions.incidents.end() || person == config.people.end()) continue;
    const std::vector<std::string> channels = notification_channels(config, *incident, n);
    if (std::ranges::find(channels, "email") == channels.end()) continue;
    if (!evidence.contains(n.incident)) {
      auto found = evidence_for(store, *incident);
      if (!found) return std::unexpected(found.error());
      evidence.emplace(n.incident, std::move(*found));
    }
    auto root = thread_root_for(store, n.incident, n.person);
    if (!root) return std::unexpected(root.error());
    std::vector<std::string> thread;
    if (*root) thread.push_back(**root);

    OutboxMessage row;
    row.incident_id = n.incident;
    row.person = n.person;
    row.address = person->second.email;
    row.message_id = notification_message_id(n.incident, n.reasons, now, n.person, config.mail.message_id_domain);
    row.thread_root = root->value_or("");
    row.reasons = n.late ? n.reasons_text() + " (late)" : n.reasons_text();
    MailContext context = mail_context(config, *incident, n, evidence.at(n.incident), now);
    context.ledger_seq = head->seq;
    context.ledger_hash = head->hash;
    row.data = render_rfc5322(
        compose_mail(context, person->second, templates, config.mail, row.message_id, std::move(thread)));
    row.created_at = now;
    if (auto queued = enqueue_message(store, row); !queued) return std::unexpected(queued.error());
  }
  return {};
}

}  // namespace netwarden
