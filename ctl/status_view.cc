#include "common/time.h"
#include "ctl/crawl_view.h"
#include "ctl/field_text.h"
#include "ctl/table.h"
#include "ctl/views.h"

namespace netwarden {

namespace {

std::string count(const boost::json::object& o, std::string_view key, std::string_view what) {
  return std::to_string(int_field(o, key)) + " " + std::string(what);
}

std::string store_line(const boost::json::object& store) {
  std::string line =
      count(store, "pending_writes", "pending writes, ") + count(store, "dropped_samples", "dropped samples");
  if (int_field(store, "refused_decisions") > 0) {
    line += ", " + count(store, "refused_decisions", "decisions refused and retried");
  }
  if (int_field(store, "dropped_observations") > 0) {
    line += ", " + count(store, "dropped_observations", "observations let go while failing");
  }
  return line;
}

// "2 queued, 10 sent, 1 failed" and what else a reader should know: how
// long the oldest waits, and for a channel other than e-mail the last
// failure (the provider's answer).
std::string delivery_line(const boost::json::object& o, std::string_view how) {
  std::string line = count(o, "queued", "queued, ") + count(o, "sent", "sent, ") + count(o, "failed", "failed");
  if (!how.empty()) line += " (" + std::string(how) + ")";
  if (const auto* age = o.if_contains("oldest_undelivered_s"); age != nullptr && age->is_int64()) {
    line += "; oldest undelivered " + format_duration(std::chrono::seconds(age->get_int64())) + " old";
  }
  if (const std::string error = field_text(o, "last_error");
      int_field(o, "failed") > 0 && !error.empty() && field_text(o, "channel") != "email") {
    line += "; last failure: " + error;
  }
  return line;
}

void add_channel_rows(Table& table, const boost::json::object& s) {
  const auto* channels = s.if_contains("channels");
  if (channels == nullptr || !channels->is_array()) return;
  for (const auto& item : channels->get_array()) {
    if (item.is_object()) {
      const auto& c = item.get_object();
      table.add_row({"channel " + field_text(c, "channel"), delivery_line(c, "")});
    }
  }
}

// A row for each target with a crawl: where its crawl is.
void add_crawl_rows(Table& table, const boost::json::object& s) {
  const auto* crawls = s.if_contains("crawls");
  if (crawls == nullptr || !crawls->is_array()) return;
  for (const auto& item : crawls->get_array()) {
    if (item.is_object()) {
      table.add_row({"crawl " + field_text(item.get_object(), "target"), crawl_progress_text(item.get_object())});
    }
  }
}

void add_isolation_rows(Table& table, const boost::json::object& s) {
  const auto* watches = s.if_contains("isolation");
  if (watches == nullptr || !watches->is_array()) return;
  for (const auto& item : watches->get_array()) {
    if (!item.is_object()) continue;
    const auto& w = item.get_object();
    std::string line = field_text(w, "kind") + " on " + field_text(w, "source") + ": ";
    if (field_text(w, "running") != "yes") {
      line += "NOT RUNNING: " + field_text(w, "error");
    } else if (field_text(w, "kind") == "pcap") {
      line += count(w, "frames", "suspect frames, ") + count(w, "hosts", "hosts breaching now, ") +
              count(w, "kernel_drops", "dropped by the kernel, ") + count(w, "undecodable", "undecodable");
    } else {
      line += count(w, "rounds", "rounds of checks");
    }
    table.add_row({"isolation " + field_text(w, "id"), line});
  }
}

// The lines under the table that a reader must not miss.
std::string warnings(const boost::json::object& s, const boost::json::object& ledger, const boost::json::object& mail) {
  std::string out;
  if (const auto* alarm = ledger.if_contains("alarm"); alarm != nullptr && alarm->is_string()) {
    out += "ALARM: " + std::string(alarm->get_string()) + "\n";
  }
  if (const auto* warning = ledger.if_contains("warning"); warning != nullptr && warning->is_string()) {
    out += "WARNING: " + std::string(warning->get_string()) + "\n";
  }
  if (const auto* warn = mail.if_contains("warning"); warn != nullptr && warn->is_bool() && warn->get_bool()) {
    out += "WARNING: e-mail is not getting through (failed or long-undelivered messages); see the daemon's log\n";
  }
  if (const auto* channels = s.if_contains("channels"); channels != nullptr && channels->is_array()) {
    for (const auto& item : channels->get_array()) {
      const auto* warn = item.is_object() ? item.get_object().if_contains("warning") : nullptr;
      if (warn == nullptr || !warn->is_bool() || !warn->get_bool()) continue;
      out += "WARNING: channel " + field_text(item.get_object(), "channel") +
             " is not getting through (failed or long-undelivered messages); see its row above\n";
    }
  }
  return out;
}

}  // namespace

Result<std::string> status_text(const boost::json::value& result) {
  if (!result.is_object() || !result.get_object().contains("version")) {
    return fail("the daemon's status result has no \"version\"");
  }
  const auto& s = result.get_object();
  const auto& targets = object_or_empty(s, "targets");
  const auto& store = object_or_empty(s, "store");
  const auto& mail = object_or_empty(s, "mail");
  const auto& ledger = object_or_empty(s, "ledger");

  Table table;
  table.add_row({"version", field_text(s, "version")});
  table.add_row({"started", local_time_text(s, "started_at") + " (up " +
                                format_duration(std::chrono::seconds(int_field(s, "uptime_s"))) + ")"});
  table.add_row({"targets", count(targets, "total", "total: ") + count(targets, "up", "up, ") +
                                count(targets, "down", "down, ") + count(targets, "unknown", "unknown")});
  table.add_row({"checks", count(s, "checks_in_flight", "in flight, ") + count(s, "checks_completed", "completed")});
  table.add_row({"store", store_line(store)});
  table.add_row({"mail", delivery_line(mail, field_text(mail, "transport"))});
  add_channel_rows(table, s);
  add_crawl_rows(table, s);
  add_isolation_rows(table, s);
  table.add_row(
      {"ledger", field_text(ledger, "keyed") == "yes" ? "keyed, key " + field_text(ledger, "key_id") : "NOT KEYED"});
  // The first line a reader sees: nothing decided is believed until written.
  std::string out;
  if (const auto& failing = object_or_empty(store, "failing"); !failing.empty()) {
    out += "STORE FAILING since " + local_time_text(failing, "since") + ": " + field_text(failing, "error") +
           "\n  decisions are kept and retried every second; e-mails owed are queued once writes work again\n";
  }
  return out + table.render() + warnings(s, ledger, mail);
}

}  // namespace netwarden
