#include "daemon/control_commands.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <functional>
#include <memory>

#include "config/date_time.h"
#include "config/load_config.h"
#include "daemon/control/control_reply.h"
#include "daemon/control/peer_authority.h"
#include "daemon/crawl/site_crawler.h"
#include "daemon/incidents/incident_json.h"
#include "daemon/incidents/incident_keeper.h"
#include "daemon/isolation/isolation_monitor.h"
#include "daemon/ledger_report.h"
#include "daemon/notifier/message/test_message.h"
#include "daemon/notifier/outbox/outbox_drainer.h"
#include "daemon/store/incidents.h"
#include "daemon/store/ledger.h"
#include "daemon/store/maintenance.h"
#include "daemon/store/outbox.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/web_monitor/baseline_approval.h"
#include "daemon/web_monitor/verdict_json.h"
#include "daemon/web_monitor/web_monitor.h"

namespace netwarden {

namespace {

boost::json::value time_or_null(const std::optional<Time>& t) {
  return t ? boost::json::value(format_utc(*t)) : boost::json::value(nullptr);
}

boost::json::object crawl_json(const CrawlProgress& p) {
  return {{"running", p.running},
          {"started_at", time_or_null(p.started)},
          {"done", p.done},
          {"budget", p.budget},
          {"queued", p.queued},
          {"not_modified", p.not_modified},
          {"errors", p.errors},
          {"not_inspected", p.not_inspected},
          {"eta", time_or_null(p.eta)},
          {"last_complete_at", time_or_null(p.last_complete)},
          {"last_complete_pages", p.last_complete_pages},
          {"next_at", time_or_null(p.next)}};
}

boost::json::value targets(const DaemonView& d) {
  boost::json::array list;
  for (const auto& t : d.monitor.targets()) {
    boost::json::object o;
    o["id"] = t->config.id;
    o["name"] = t->config.name;
    o["url"] = t->config.url;
    o["unit"] = t->config.unit;
    o["tls_verify"] = t->config.tls_verify;
    if (t->last) {
      add_verdict_fields(o, *t->last);
    } else {
      add_unknown_verdict_fields(o);
    }
    if (auto crawl = d.crawler.progress(t->config.id)) o["crawl"] = crawl_json(*crawl);
    list.push_back(std::move(o));
  }
  return boost::json::object{{"targets", std::move(list)}};
}

// Answers with what `read` finds in the store, read on the writer thread
// behind every pending write, so the answer shows all that was reported done.
void answer_from_store(const DaemonView& d, const ControlRespond& respond,
                       std::function<Result<boost::json::value>(Store&)> read) {
  auto found = std::make_shared<boost::json::value>();
  const bool queued = d.writer.post(
      [found, read = std::move(read)](Store& store) -> Result<void> {
        auto value = read(store);
        if (!value) return std::unexpected(value.error());
        *found = std::move(*value);
        return {};
      },
      [found, respond](Result<void> done) {
        if (!done) return respond(reply_error(done.error().message));
        respond(reply_ok(std::move(*found)));
      });
  if (!queued) respond(reply_error("the store's queue is full; try again shortly"));
}

boost::json::object store_json(const DaemonView& d) {
  boost::json::object store{{"pending_writes", d.writer.pending()},
                            {"dropped_samples", d.monitor.dropped_samples()},
                            {"failed_writes", d.health.failed_writes()},
                            {"refused_decisions", d.incidents.refused_decisions()},
                            {"dropped_observations", d.incidents.dropped_observations()}};
  if (const auto& failing = d.health.failing()) {
    store["failing"] = {{"since", format_utc(failing->since)}, {"error", failing->error}, {"what", failing->what}};
  }
  return store;
}

// A missing key is a warning (the chain goes on, unkeyed); a break found
// at start-up is an alarm until the daemon restarts on a whole ledger.
boost::json::object ledger_status_json(const LedgerStatus& ledger) {
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
  };
  return {
      {"keyed", ledger.key.has_value()},
      {"key_id", ledger.key ? ledger.key->id : ""},
      {"warning", ledger.key ? boost::json::value(nullptr)
                             : boost::json::value("the ledger is not keyed: a copy of the database can be rewritten "
                                                  "consistently (give the daemon a ledger key)")},
      {"alarm", text_or_null(ledger.alarm)}};
}

// One channel's deliveries for `status`: counts, the oldest undelivered,
// the last failure, and whether to warn (any failure, or a delivery
// waiting longer than warn_after).
boost::json::object delivery_json(const OutboxSummary& s, Duration warn_after) {
  const auto age = s.oldest_undelivered_age;
  return {
      {"channel", s.channel},
      {"queued", s.queued + s.sending},
      {"sent", s.sent},
      {"failed", s.failed},
      {"oldest_undelivered_at", time_or_null(s.oldest_undelivered_at)},
      {"oldest_undelivered_s", age ? boost::json::value(std::chrono::duration_cast<std::chrono::seconds>(*age).count())
                                   : boost::json::value(nullptr)},
      {"last_error", s.last_error},
      {"warning", (age && *age >= warn_after) || s.failed > 0}};
}

// "mail" (e-mail, with its transport) and "channels" (each other one).
void add_deliveries(boost::json::object& out, std::vector<OutboxSummary> summaries, const std::string& transport,
                    Duration warn_after) {
  OutboxSummary mail;
  mail.channel = "email";
  boost::json::array channels;
  for (OutboxSummary& s : summaries) {
    if (s.channel == "email") {
      mail = std::move(s);
    } else {
      channels.push_back(delivery_json(s, warn_after));
    }
  }
  out["mail"] = delivery_json(mail, warn_after);
  out["mail"].as_object()["transport"] = transport;
  out["channels"] = std::move(channels);
}

boost::json::array isolation_json(const DaemonView& d) {
  boost::json::array watches;
  for (const auto& w : d.isolation.status()) {
    watches.push_back(boost::json::object{{"id", w.id},
                                          {"kind", w.kind},
                                          {"source", w.source},
                                          {"running", w.error.empty()},
                                          {"error", w.error},
                                          {"frames", w.frames},
                                          {"kernel_drops", w.kernel_drops},
                                          {"undecodable", w.undecodable},
                                          {"hosts", w.hosts},
                                          {"rounds", w.rounds}});
  }
  return watches;
}

// The monitor's figures from memory; the outbox's read from the store.
void status(const DaemonView& d, const ControlRespond& respond, Time now) {
  std::int64_t up = 0, down = 0, unknown = 0;
  for (const auto& t : d.monitor.targets()) {
    if (!t->last) {
      ++unknown;
    } else if (t->last->up) {
      ++up;
    } else {
      ++down;
    }
  }
  boost::json::object out;
  out["version"] = NETWARDEN_VERSION;
  out["started_at"] = format_utc(d.started_at);
  out["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(now - d.started_at).count();
  out["targets"] = {{"total", up + down + unknown}, {"up", up}, {"down", down}, {"unknown", unknown}};
  out["checks_in_flight"] = d.monitor.checks_in_flight();
  out["checks_completed"] = d.monitor.checks_completed();
  out["store"] = store_json(d);
  boost::json::array crawls;
  for (const std::string& target : d.crawler.targets()) {
    boost::json::object crawl = crawl_json(*d.crawler.progress(target));
    crawl["target"] = target;
    crawls.push_back(std::move(crawl));
  }
  out["crawls"] = std::move(crawls);
  out["isolation"] = isolation_json(d);
  out["ledger"] = ledger_status_json(d.ledger);
  const Duration warn_after = d.config.mail.warn_undelivered_after;
  answer_from_store(d, respond,
                    [out = std::move(out), transport = d.mail_transport, warn_after,
                     now](Store& store) mutable -> Result<boost::json::value> {
                      auto summaries = outbox_summary(store, now);
                      if (!summaries) return std::unexpected(summaries.error());
                      add_deliveries(out, std::move(*summaries), transport, warn_after);
                      return std::move(out);
                    });
}

boost::json::object incident_json_view(const Incident& i, Time now) {
  const Time until = i.resolved_at.value_or(now);
  return {{"id", i.id},
          {"kind", to_string(i.kind)},
          {"target", i.target},
          {"host", i.subject},
          {"evidence", i.evidence},
          {"severity", to_string(i.severity)},
          {"state", i.open() ? "open" : "resolved"},
          {"reason", i.reason},
          {"detail", i.detail},
          {"started_at", format_utc(i.started_at)},
          {"detected_at", format_utc(i.detected_at)},
          {"resolved_at", time_or_null(i.resolved_at)},
          {"duration_s", std::chrono::duration_cast<std::chrono::seconds>(until - i.started_at).count()},
          {"acknowledged_by", i.acknowledged_at ? boost::json::value(i.acknowledged_by) : nullptr},
          {"threshold_crossed_at", time_or_null(i.threshold_at)},
          {"notified", boost::json::array(i.notified.begin(), i.notified.end())}};
}

// Resolved incidents too with --all.
void list_incidents(const DaemonView& d, const ControlRequest& request, const ControlRespond& respond, Time now) {
  const auto* all = request.args->if_contains("all");
  const bool include_resolved = all != nullptr && all->is_bool() && all->get_bool();
  answer_from_store(d, respond, [include_resolved, now](Store& store) -> Result<boost::json::value> {
    auto rows = incidents(store, include_resolved);
    if (!rows) return fail("cannot list incidents: " + rows.error().message);
    boost::json::array listed;
    for (const auto& row : *rows) {
      auto incident = incident_from_json(row.state_json);
      if (!incident) return fail("incident " + std::to_string(row.id) + ": " + incident.error().message);
      listed.push_back(incident_json_view(*incident, now));
    }
    return boost::json::object{{"incidents", std::move(listed)}};
  });
}

std::string string_arg(const ControlRequest& r, std::string_view key) {
  const auto* v = r.args->if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Who the ledger records for a change: the OS user from the socket's peer
// credentials, and the person they say they act as (`--as`), which must be
// one the config knows.
Result<std::string> change_actor(const DaemonView& d, const ControlRequest& r) {
  auto actor = authorize_change(r.peer, d.config.daemon.admin_group);
  if (!actor) {
    if (d.refused_changes.allow(r.peer.uid)) {
      spdlog::warn("control: refused '{}' from uid {} (pid {}): {}", r.command, r.peer.uid, r.peer.pid,
                   actor.error().message);
    }
    return std::unexpected(actor.error());
  }
  const std::string as = string_arg(r, "as");
  if (as.empty()) return actor->os_user;
  if (!d.config.people.contains(as)) return fail("--as: '" + as + "' is not a person in the configuration");
  return actor->os_user + " as " + as;
}

// ack and resolve: decided by the engine, answered once recorded.
void change_incident(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond) {
  auto actor = change_actor(d, r);
  if (!actor) return respond(reply_error(actor.error().message));
  const auto* given = r.args->if_contains("id");
  if (given == nullptr || !given->is_int64()) return respond(reply_error(r.command + " needs an incident id"));
  const IncidentId id = given->get_int64();
  const std::string note = string_arg(r, "note");
  const bool resolving = r.command == "resolve";
  if (resolving && note.empty()) return respond(reply_error("resolve needs --note saying how it was resolved"));
  d.incidents.change(
      [id, resolving, who = *actor, note](IncidentEngine& engine, Time now) {
        return resolving ? engine.resolve(id, who, note, now) : engine.acknowledge(id, who, note, now);
      },
      nullptr,
      [respond, id, resolving, who = *actor](Result<Decisions> done) {
        if (!done) return respond(reply_error(done.error().message));
        respond(reply_ok(boost::json::object{{"incident", id}, {resolving ? "resolved_by" : "acknowledged_by", who}}));
      });
}

// The page last fetched becomes the target's baseline, stored with the
// approval in one transaction. The monitor compares with it from the moment
// the approval is decided, so a check finishing meanwhile is not judged
// against the old page; if the approval is refused or not recorded, the old
// baseline is put back and nothing of it stays.
void approve(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond) {
  auto actor = change_actor(d, r);
  if (!actor) return respond(reply_error(actor.error().message));
  const std::string target = string_arg(r, "target");
  if (target.empty()) return respond(reply_error("approve needs a target"));
  auto approved = d.monitor.current_content(target);
  if (!approved) return respond(reply_error(approved.error().message));
  struct Replaced {
    bool done = false;
    std::optional<BaselineFingerprints> old;
  };
  auto replaced = std::make_shared<Replaced>();
  d.incidents.change(
      [&monitor = d.monitor, replaced, target, fingerprints = *approved, who = *actor, note = string_arg(r, "note")](
          IncidentEngine& engine, Time now) -> Result<Decisions> {
        auto decided = engine.approve(target, who, note, now);
        if (decided) *replaced = Replaced{true, monitor.set_baseline(target, fingerprints)};
        return decided;
      },
      [target, fingerprints = *approved, who = *actor](Store& store) {
        return store_approved_baseline(store, target, fingerprints, now_utc(), who);
      },
      [&monitor = d.monitor, respond, target, replaced, fingerprints = *approved,
       who = *actor](Result<Decisions> done) {
        if (!done) {
          if (replaced->done) monitor.set_baseline(target, replaced->old);
          return respond(reply_error(done.error().message));
        }
        respond(reply_ok(boost::json::object{{"target", target},
                                             {"approved_by", who},
                                             {"text_sha256", fingerprints.text_sha256},
                                             {"structure_sha256", fingerprints.structure_sha256}}));
      });
}

boost::json::object window_json(const MaintenanceWindow& w) {
  return {{"target", w.target},
          {"from", format_utc(w.from)},
          {"to", format_utc(w.to)},
          {"reason", w.reason},
          {"declared_by", w.declared_by}};
}

// `from`: "now" (the default) or an RFC 3339 time; `to`: an RFC 3339 time
// or a duration after `from` ("2h").
Result<MaintenanceWindow> window_from(const ControlRequest& r, Time now) {
  MaintenanceWindow w;
  w.target = string_arg(r, "target");
  w.reason = string_arg(r, "reason");
  if (w.target.empty()) return fail("maintenance needs a target");
  if (w.reason.find_first_not_of(" \t") == std::string::npos) return fail("maintenance needs --reason");
  const std::string from = string_arg(r, "from");
  if (from.empty() || from == "now") {
    w.from = now;
  } else {
    auto parsed = parse_date_time(from);
    if (!parsed) return fail("--from: " + parsed.error().message);
    w.from = *parsed;
  }
  const std::string to = string_arg(r, "to");
  if (to.empty()) return fail("maintenance needs --to (a time like 2026-12-01T22:00:00+08:00, or a duration like 2h)");
  if (auto length = parse_duration(to)) {
    w.to = w.from + *length;
  } else {
    auto parsed = parse_date_time(to);
    if (!parsed) return fail("--to: " + parsed.error().message + " (or give a duration like 2h)");
    w.to = *parsed;
  }
  return w;
}

// With a target: declares a window (recorded in the ledger with who
// declared it). Without: lists the windows not yet over.
void maintenance(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond, Time now) {
  if (string_arg(r, "target").empty()) {
    boost::json::array listed;
    for (const auto& w : d.incidents.engine().maintenance_windows()) {
      if (w.to > now) listed.push_back(window_json(w));
    }
    return respond(reply_ok(boost::json::object{{"windows", std::move(listed)}}));
  }
  auto actor = change_actor(d, r);
  if (!actor) return respond(reply_error(actor.error().message));
  auto window = window_from(r, now);
  if (!window) return respond(reply_error(window.error().message));
  d.incidents.change([window = *window, who = *actor](IncidentEngine& engine,
                                                      Time at) { return engine.declare_maintenance(window, who, at); },
                     nullptr,
                     [respond](Result<Decisions> done) {
                       if (!done) return respond(reply_error(done.error().message));
                       respond(reply_ok(boost::json::object{{"declared", window_json(done->windows.front())}}));
                     });
}

// One incident and its timeline: every ledger event about it, in order.
void show_incident(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond, Time now) {
  const auto* given = r.args->if_contains("id");
  if (given == nullptr || !given->is_int64()) return respond(reply_error("show needs an incident id"));
  answer_from_store(d, respond, [id = given->get_int64(), now](Store& store) -> Result<boost::json::value> {
    auto row = incident(store, id);
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail("no incident " + std::to_string(id));
    auto parsed = incident_from_json((*row)->state_json);
    if (!parsed) return std::unexpected(parsed.error());
    auto events = ledger_rows(store, id);
    if (!events) return std::unexpected(events.error());
    boost::json::array timeline;
    for (const auto& e : *events) {
      boost::system::error_code ec;
      boost::json::value details = boost::json::parse(e.event.details_json, ec);
      timeline.push_back(boost::json::object{{"seq", e.seq},
                                             {"at", format_utc(e.event.at)},
                                             {"type", e.event.type},
                                             {"actor", e.event.actor},
                                             {"details", ec ? boost::json::value(e.event.details_json) : details}});
    }
    auto mails = outbox_for_incident(store, id);
    if (!mails) return std::unexpected(mails.error());
    boost::json::array deliveries;
    for (const auto& m : *mails) {
      deliveries.push_back(boost::json::object{{"channel", m.channel},
                                               {"person", m.person},
                                               {"address", m.address},
                                               {"reasons", m.reasons},
                                               {"state", m.state},
                                               {"attempts", m.attempts},
                                               {"queued_at", format_utc(m.created_at)},
                                               {"sent_at", time_or_null(m.sent_at)},
                                               {"failed_at", time_or_null(m.failed_at)},
                                               {"last_error", m.last_error},
                                               {"message_id", m.message_id}});
    }
    return boost::json::object{{"incident", incident_json_view(*parsed, now)},
                               {"timeline", std::move(timeline)},
                               {"mail", std::move(deliveries)}};
  });
}

// Starts a whole-site crawl now: like an approval, a change only the
// daemon's admins may make (it puts load on the site).
void crawl(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond) {
  auto actor = change_actor(d, r);
  if (!actor) return respond(reply_error(actor.error().message));
  const std::string target = string_arg(r, "target");
  if (target.empty()) return respond(reply_error("crawl needs a target"));
  auto started = d.crawler.crawl_now(target);
  if (!started) return respond(reply_error(started.error().message));
  if (*started) spdlog::info("target '{}': crawl asked for by {}", target, *actor);
  respond(reply_ok(boost::json::object{
      {"target", target}, {"started", *started}, {"crawl", crawl_json(*d.crawler.progress(target))}}));
}

// A marked test through each channel of a person or a unit (or the one
// named), answering what each far end said, so that the first real message
// is not the first ever sent. A change (it messages people): admins only.
void test_notify(const DaemonView& d, const ControlRequest& r, const ControlRespond& respond) {
  auto actor = change_actor(d, r);
  if (!actor) return respond(reply_error(actor.error().message));
  const std::string to = string_arg(r, "to");
  const std::string only = string_arg(r, "channel");
  const auto person = d.config.people.find(to);
  const auto unit = d.config.units.find(to);
  std::vector<std::string> channels;
  if (person != d.config.people.end()) {
    channels = person->second.channels;
  } else if (unit != d.config.units.end()) {
    channels = unit->second.channels;
  } else {
    return respond(reply_error("test-notify: '" + to + "' is neither a person nor a unit of the configuration"));
  }
  if (!only.empty()) {
    if (std::ranges::find(channels, only) == channels.end()) {
      return respond(reply_error("test-notify: '" + to + "' has no channel '" + only + "'"));
    }
    channels = {only};
  }
  if (channels.empty()) return respond(reply_error("test-notify: unit '" + to + "' has no channels"));
  const Time now = now_utc();
  std::vector<OutboxDrainer::TestMessage> messages;
  for (const std::string& channel : channels) {
    OutboxDrainer::TestMessage m{channel, {}, test_chat(*actor, now)};
    const auto kind = d.config.channels.find(channel);
    if (kind != d.config.channels.end() && is_sms(kind->second.kind)) m.chat.mobile = person->second.mobile;
    if (channel == "email") {
      MailMessage mail = test_mail(person->second, d.config.mail, *actor, now);
      m.mail = OutgoingMail{mail.message_id, d.config.mail.from, {person->second.email}, render_rfc5322(mail)};
    }
    messages.push_back(std::move(m));
  }
  spdlog::info("test-notify {} asked for by {}", to, *actor);
  d.outbox.send_tests(std::move(messages), [respond, post = d.post, to](std::vector<OutboxDrainer::TestAnswer> got) {
    post([respond, to, got = std::move(got)] {
      boost::json::array answers;
      for (const auto& a : got) {
        answers.push_back(boost::json::object{{"channel", a.channel},
                                              {"ok", a.answer.has_value()},
                                              {"answer", a.answer ? *a.answer : a.answer.error().message}});
      }
      respond(reply_ok(boost::json::object{{"to", to}, {"answers", std::move(answers)}}));
    });
  });
}

// The anchors come from the client, which read them from the files it was
// given: the daemon checks them against the chain it holds.
void verify(const DaemonView& d, const ControlRequest& request, const ControlRespond& respond) {
  std::vector<LedgerAnchor> anchors;
  if (const auto* given = request.args->if_contains("anchors"); given != nullptr) {
    if (!given->is_array()) return respond(reply_error("verify: \"anchors\" must be an array"));
    auto parsed = anchors_from_json(given->get_array());
    if (!parsed) return respond(reply_error("verify: " + parsed.error().message));
    anchors = std::move(*parsed);
  }
  answer_from_store(d, respond,
                    [key = d.ledger.key, anchors = std::move(anchors)](Store& store) -> Result<boost::json::value> {
                      auto report = ledger_report(store, key, anchors);
                      if (!report) return std::unexpected(report.error());
                      return std::move(*report);
                    });
}

}  // namespace

void handle_control_request(const DaemonView& daemon, const ControlRequest& request, const ControlRespond& respond,
                            Time now) {
  if (request.command == "status") return status(daemon, respond, now);
  if (request.command == "targets") return respond(reply_ok(targets(daemon)));
  if (request.command == "verify") return verify(daemon, request, respond);
  if (request.command == "incidents") return list_incidents(daemon, request, respond, now);
  if (request.command == "ack" || request.command == "resolve") return change_incident(daemon, request, respond);
  if (request.command == "show") return show_incident(daemon, request, respond, now);
  if (request.command == "approve") return approve(daemon, request, respond);
  if (request.command == "crawl") return crawl(daemon, request, respond);
  if (request.command == "test-notify") return test_notify(daemon, request, respond);
  if (request.command == "maintenance") return maintenance(daemon, request, respond, now);
  respond(reply_error("unknown command '" + request.command + "'"));
}

}  // namespace netwarden
