#include "daemon/web_monitor/web_monitor.h"

#include <spdlog/spdlog.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/sha256.h"
#include "daemon/store/page_evidence_json.h"
#include "daemon/store/store.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/web_monitor/cloaking_round.h"
#include "daemon/web_monitor/coroutine_failure.h"
#include "daemon/web_monitor/verdict_json.h"
#include "probes/content/keyword_matcher.h"

namespace netwarden {

namespace asio = boost::asio;

namespace {

constexpr auto kFirstCheckSpread =
    std::chrono::duration_cast<asio::steady_timer::clock_type::duration>(std::chrono::seconds(10));

std::string sample_details(const FetchResult& fetch, const CheckVerdict& v) {
  boost::json::object d;
  if (!v.detail.empty()) d["detail"] = v.detail;
  if (fetch.redirects > 0) d["final_url"] = fetch.final_url;
  if (fetch.tls.used) d["tls_verified"] = fetch.tls.verified;
  d["content"] = to_string(v.content);
  d["structure"] = to_string(v.structure);
  if (!v.harmful.empty()) d["harmful"] = boost::json::array(v.harmful.begin(), v.harmful.end());
  if (!v.required_missing.empty()) {
    d["required_missing"] = boost::json::array(v.required_missing.begin(), v.required_missing.end());
  }
  // The evidence the e-mails quote: each keyword with its category and the
  // page's own words around it, each hidden link and foreign code and why,
  // the personal data (masked); the same of what a cloaking variant showed
  // more.
  add_page_evidence(d, {v.harmful_hits, v.hidden_links, v.foreign_code, v.personal_data});
  if (const CloakingShown& c = v.cloaking_shown; !c.variant.empty()) {
    boost::json::object shown{{"variant", c.variant}};
    add_page_evidence(shown, {c.harmful_hits, c.hidden_links, c.foreign_code, {}});
    d["cloaking"] = std::move(shown);
  }
  if (!v.blind_spot.empty()) d["blind_spot"] = v.blind_spot;
  // Kept on every check, so a DNS hijack or certificate swap can be dated
  // from the samples even when nobody looked at the flag at the time.
  if (!fetch.resolved_addresses.empty()) {
    d["resolved"] = boost::json::array(fetch.resolved_addresses.begin(), fetch.resolved_addresses.end());
  }
  if (!fetch.tls.cert_sha256.empty()) d["cert_sha256"] = fetch.tls.cert_sha256;
  if (v.dns_changed) d["dns_changed"] = true;
  if (v.cert_changed) d["cert_changed"] = true;
  return boost::json::serialize(d);
}

Sample make_sample(const std::string& target, const FetchResult& fetch, const ContentDigest* digest,
                   const CheckVerdict& v) {
  Sample s;
  s.target = target;
  s.at = v.at;
  s.up = v.up;
  s.reason = v.reason;
  s.status = v.status;
  s.total_us = fetch.timings.total.count();
  s.dns_us = fetch.timings.dns.count();
  s.connect_us = fetch.timings.connect.count();
  s.tls_us = fetch.timings.tls.count();
  s.first_byte_us = fetch.timings.first_byte.count();
  s.size = static_cast<std::int64_t>(fetch.body.size());
  s.remote_address = fetch.remote_address;
  if (digest != nullptr) {
    s.text_sha256 = digest->text_sha256;
    s.structure_sha256 = digest->structure_sha256;
  }
  s.cert_days_left = v.cert_days_left;
  s.details_json = sample_details(fetch, v);
  return s;
}

// What, if it changes, is worth rewriting the target's stored state for.
std::string state_summary(const CheckVerdict& v) {
  std::string s = (v.up ? "up|" : "down|") + v.reason + "|" + std::string(to_string(v.content)) + "|" +
                  std::string(to_string(v.structure)) + "|" + std::to_string(v.status);
  for (const auto& w : v.harmful) s += "|h:" + w;
  for (const auto& w : v.required_missing) s += "|r:" + w;
  for (const auto& f : v.hidden_links) s += "|l:" + f.what;
  for (const auto& f : v.foreign_code) s += "|c:" + f.what;
  for (const auto& f : v.personal_data) s += "|p:" + f.kind + " " + std::to_string(f.count);
  s += "|b:" + v.blind_spot;
  for (const auto& r : v.cloaking_refused) s += "|x:" + r;
  return s;
}

// Records a detected change with both sides; the old side is the baseline's
// evidence text, which only the store holds.
ContentChange describe_change(const std::string& target, Time at, std::string what, std::string old_sha,
                              std::string new_sha, std::string new_content) {
  ContentChange c;
  c.target = target;
  c.at = at;
  c.what = std::move(what);
  c.old_sha256 = std::move(old_sha);
  c.new_sha256 = std::move(new_sha);
  c.new_content = std::move(new_content);
  return c;
}

Result<void> store_change(Store& store, ContentChange change) {
  auto baseline = store.baseline(change.target);
  if (!baseline) return std::unexpected(baseline.error());
  if (*baseline) change.old_content = change.what == "text" ? (*baseline)->text : (*baseline)->structure;
  return store.add_content_change(change);
}

}  // namespace

WebMonitor::WebMonitor(asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health,
                       int max_concurrent_checks)
    : executor_(executor),
      writer_(writer),
      health_(health),
      semaphore_(executor, static_cast<std::size_t>(max_concurrent_checks)),
      fetcher_(executor),
      random_(std::random_device{}()),
      wake_(executor) {}

WebMonitor::~WebMonitor() = default;

Result<void> WebMonitor::add_target(const WebTarget& target, const std::optional<Baseline>& baseline,
                                    const std::optional<TargetStateRow>& state) {
  auto analyzer = analyzers_.for_target(target);
  if (!analyzer) return fail("target '" + target.id + "': " + analyzer.error().message);

  auto entry = std::make_unique<WebTargetEntry>(target, std::move(*analyzer));
  if (baseline) {
    entry->baseline = BaselineFingerprints{baseline->text_sha256, baseline->structure_sha256, baseline->text.size()};
  }
  if (state) {
    entry->last = verdict_from_json(state->state_json);
    if (entry->last) entry->last_persisted = state_summary(*entry->last);
  }
  targets_.push_back(std::move(entry));
  return {};
}

WebTargetEntry* WebMonitor::find(const std::string& target) const {
  for (const auto& entry : targets_) {
    if (entry->config.id == target) return entry.get();
  }
  return nullptr;
}

Result<BaselineFingerprints> WebMonitor::current_content(const std::string& target) const {
  const WebTargetEntry* entry = find(target);
  if (entry == nullptr) return fail("no web target " + target);
  if (!entry->memory.digest) {
    return fail("no content of " + target + " has been fetched since netwardend started; try after its next check");
  }
  return BaselineFingerprints{entry->memory.digest->text_sha256, entry->memory.digest->structure_sha256,
                              entry->memory.text_length};
}

std::optional<BaselineFingerprints> WebMonitor::set_baseline(const std::string& target,
                                                             std::optional<BaselineFingerprints> baseline) {
  WebTargetEntry* entry = find(target);
  return entry != nullptr ? std::exchange(entry->baseline, std::move(baseline)) : std::nullopt;
}

void WebMonitor::start() {
  // Every target is seen within the first 10 s of start-up (a newcomer, or a
  // restart during an outage, should not wait a whole interval), spread so
  // that targets do not fire in lockstep.
  const auto now = Clock::now();
  for (auto& entry : targets_) {
    const auto spread = std::min<Clock::duration>(std::chrono::duration_cast<Clock::duration>(entry->config.interval),
                                                  kFirstCheckSpread);
    std::uniform_int_distribution<Clock::rep> first_delay(0, spread.count() - 1);
    due_.push(Due{now + Clock::duration(first_delay(random_)), entry.get()});
  }
  asio::co_spawn(executor_, schedule(),
                 asio::bind_cancellation_slot(stop_scheduler_.slot(), log_exception("check scheduler")));
}

void WebMonitor::stop() {
  stopping_ = true;
  stop_scheduler_.emit(asio::cancellation_type::terminal);
  for (auto& entry : targets_) entry->stop.emit(asio::cancellation_type::terminal);
}

void WebMonitor::queue_check(WebTargetEntry& entry, Clock::time_point at) {
  due_.push(Due{at, &entry});
  // The scheduler sleeps until the earliest check it knew of; wake it to
  // look again when this one comes sooner.
  if (at < wake_.expiry()) wake_.cancel();
}

asio::awaitable<void> WebMonitor::schedule() {
  // stop() is seen through stopping_ and the errors of aborted operations,
  // not as an exception.
  co_await asio::this_coro::throw_if_cancelled(false);
  while (!stopping_) {
    wake_.expires_at(due_.empty() ? Clock::time_point::max() : due_.top().at);
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    while (!stopping_ && !due_.empty() && due_.top().at <= Clock::now()) {
      // Waits here while max_concurrent_checks are in flight.
      if (!co_await semaphore_.acquire()) co_return;
      if (stopping_) {
        semaphore_.release();
        co_return;
      }
      Due next = due_.top();
      due_.pop();
      asio::co_spawn(executor_, check(*next.entry, next.at),
                     asio::bind_cancellation_slot(next.entry->stop.slot(),
                                                  log_exception("check of target '" + next.entry->config.id + "'")));
    }
  }
}

asio::awaitable<void> WebMonitor::check(WebTargetEntry& entry, Clock::time_point due) {
  co_await asio::this_coro::throw_if_cancelled(false);
  const WebTarget& t = entry.config;
  // Stamped with its start, as the failing checks that open an outage are:
  // both ends of an outage are then measured the same way, and the probe's
  // own latency never adds to a recorded duration.
  const Time now = now_utc();
  FetchResult fetch;
  {
    SemaphoreSlot slot(semaphore_);
    // A named request, not a temporary: GCC 12 destroys a temporary
    // argument of a coroutine called inside co_await twice.
    FetchRequest request = fetch_request(t);
    fetch = co_await fetcher_.fetch(std::move(request));
  }
  if (stopping_) co_return;  // an aborted fetch says nothing about the site

  std::optional<ContentDigest> fresh;
  std::string body_sha256;
  const ContentDigest* digest = nullptr;
  if (fetch.failure == FetchFailure::none && status_expected(t, fetch.status)) {
    // An unchanged body has an unchanged digest: skip the parse.
    // The raw body is hashed once here; analysis does not need it.
    body_sha256 = sha256_hex(fetch.body);
    if (entry.memory.digest && body_sha256 == entry.memory.body_sha256) {
      digest = &*entry.memory.digest;
    } else {
      fresh = entry.analyzer.analyze(fetch.body, fetch.final_url.empty() ? t.url : fetch.final_url, fetch.content_type);
      digest = &*fresh;
    }
  }
  const BaselineFingerprints* baseline = entry.baseline ? &*entry.baseline : nullptr;
  CheckVerdict verdict = judge_check(t, fetch, digest, entry.memory, baseline, now);
  // The variants only make sense beside a plain page to compare with.
  if (digest != nullptr && cloaking_due(entry)) {
    entry.last_cloaking = Clock::now();
    auto round = co_await cloaking_round(semaphore_, fetcher_, t, entry.analyzer, fetch, *digest, stopping_);
    if (!round) co_return;  // stopping: as an aborted fetch, it says nothing
    note_cloaking(entry, std::move(*round), verdict);
  }
  verdict.cloaking_refused = entry.cloaking_refused;
  verdict.cloaking_shown = entry.cloaking_shown;
  record(entry, fetch, fresh ? &*fresh : nullptr, verdict);
  if (listener_) listener_(t.id, verdict);

  remember(entry.memory, fetch, std::move(fresh), std::move(body_sha256));
  entry.last = std::move(verdict);
  ++checks_completed_;

  // A check that overran its interval (or a suspended machine) skips the
  // missed slots instead of firing a burst.
  const auto interval = std::chrono::duration_cast<Clock::duration>(t.interval);
  auto next = due + interval;
  if (next < Clock::now()) next = Clock::now() + interval;
  queue_check(entry, next);
}

void WebMonitor::remember(CheckMemory& memory, const FetchResult& fetch, std::optional<ContentDigest> fresh,
                          std::string body_sha256) {
  if (!fetch.resolved_addresses.empty()) memory.resolved_addresses = fetch.resolved_addresses;
  if (!fetch.tls.cert_sha256.empty()) memory.cert_sha256 = fetch.tls.cert_sha256;
  if (!fresh) return;
  memory.body_sha256 = std::move(body_sha256);
  memory.digest = std::move(*fresh);
  memory.text_length = memory.digest->text.size();
  // The evidence texts live in the store; memory keeps only fingerprints.
  memory.digest->text.clear();
  memory.digest->text.shrink_to_fit();
  memory.digest->structure.clear();
  memory.digest->structure.shrink_to_fit();
}

bool WebMonitor::cloaking_due(const WebTargetEntry& entry) const {
  const auto interval = std::chrono::duration_cast<Clock::duration>(entry.config.cloaking_interval);
  return entry.config.cloaking && (!entry.last_cloaking || Clock::now() - *entry.last_cloaking >= interval);
}

void WebMonitor::note_cloaking(WebTargetEntry& entry, CloakingVerdict round, CheckVerdict& verdict) {
  if (!round.shown.variant.empty()) {
    spdlog::warn("target '{}': shows {} more than the plain page: {}", entry.config.id, round.shown.variant,
                 round.difference);
  }
  verdict.cloaking_checked = true;
  verdict.cloaking_variant = round.shown.variant;
  verdict.cloaking_difference = std::move(round.difference);
  verdict.cloaking_keyword = round.keyword;
  entry.cloaking_refused = std::move(round.refused);
  entry.cloaking_shown = std::move(round.shown);
}

// Forgets the analysed page, so the next check analyses it afresh and
// records again what could not be recorded (a baseline, a change's evidence).
void WebMonitor::forget_page(const std::string& target) {
  if (WebTargetEntry* entry = find(target)) {
    entry->memory.body_sha256.clear();
    entry->memory.digest.reset();
  }
}

// Writes whose loss would falsify what netwardend believes (a baseline,
// the evidence of a change, the target's state): on failure `undo` puts
// memory back so the write happens again at a later check.
void WebMonitor::write_or_undo(const char* what, StoreWriter::Job job, std::function<void()> undo) {
  writer_.submit(std::move(job), [this, what, undo = std::move(undo)](Result<void> written) {
    health_.record(what, written, now_utc());
    if (!written) undo();
  });
}

void WebMonitor::record(WebTargetEntry& entry, const FetchResult& fetch, const ContentDigest* fresh,
                        const CheckVerdict& verdict) {
  const ContentDigest* digest = fresh ? fresh : (entry.memory.digest ? &*entry.memory.digest : nullptr);
  if (fetch.failure != FetchFailure::none || !status_expected(entry.config, fetch.status)) digest = nullptr;
  record_sample(entry.config.id, fetch, digest, verdict);
  if (fresh != nullptr && verdict.content == ContentState::baseline_set && !entry.baseline_pending) {
    record_first_baseline(entry, *fresh, verdict.at);
  }
  if (fresh != nullptr && entry.baseline) record_change_evidence(entry, *fresh, verdict);
  record_state(entry, verdict);
}

void WebMonitor::record_sample(const std::string& id, const FetchResult& fetch, const ContentDigest* digest,
                               const CheckVerdict& verdict) {
  // While the store fails, samples say when it works again: on a quiet
  // system they may be the only writes there are.
  StoreWriter::Done probe;
  if (health_.failing()) probe = [this](Result<void> r) { health_.record("a probe sample", r, now_utc()); };
  bool queued = writer_.post(
      [sample = make_sample(id, fetch, digest, verdict)](Store& s) { return s.add_sample(sample); }, std::move(probe));
  if (!queued) ++dropped_samples_;
}

// The first page becomes the baseline once it is recorded; until then the
// target has none and later checks keep offering theirs.
void WebMonitor::record_first_baseline(WebTargetEntry& entry, const ContentDigest& fresh, Time at) {
  const std::string& id = entry.config.id;
  Baseline b{id, fresh.text_sha256, fresh.structure_sha256, fresh.text, fresh.structure, at, "first-fetch"};
  entry.baseline_pending = true;
  writer_.submit([b](Store& s) { return s.put_baseline(b); },
                 [this, id, fingerprints = BaselineFingerprints{b.text_sha256, b.structure_sha256, b.text.size()}](
                     Result<void> r) {
                   health_.record("a content baseline", r, now_utc());
                   WebTargetEntry* e = find(id);
                   if (e == nullptr) return;
                   e->baseline_pending = false;
                   if (!r) return forget_page(id);
                   if (!e->baseline) e->baseline = fingerprints;
                   spdlog::info("target '{}': content baseline recorded", id);
                 });
}

// Evidence is kept once per distinct changed page, not once per check.
void WebMonitor::record_change_evidence(WebTargetEntry& entry, const ContentDigest& fresh,
                                        const CheckVerdict& verdict) {
  const std::string& id = entry.config.id;
  const ContentDigest* before = entry.memory.digest ? &*entry.memory.digest : nullptr;
  if (verdict.content == ContentState::changed && (!before || before->text_sha256 != fresh.text_sha256)) {
    spdlog::warn("target '{}': content changed (text {} → {})", id, entry.baseline->text_sha256.substr(0, 12),
                 fresh.text_sha256.substr(0, 12));
    write_or_undo(
        "the evidence of a content change",
        [c = describe_change(id, verdict.at, "text", entry.baseline->text_sha256, fresh.text_sha256, fresh.text)](
            Store& s) { return store_change(s, c); },
        [this, id] { forget_page(id); });
  }
  if (verdict.structure == ContentState::changed && (!before || before->structure_sha256 != fresh.structure_sha256)) {
    spdlog::warn("target '{}': page structure changed (scripts, iframes, meta or outside links)", id);
    write_or_undo(
        "the evidence of a structure change",
        [c = describe_change(id, verdict.at, "structure", entry.baseline->structure_sha256, fresh.structure_sha256,
                             fresh.structure)](Store& s) { return store_change(s, c); },
        [this, id] { forget_page(id); });
  }
}

void WebMonitor::record_state(WebTargetEntry& entry, const CheckVerdict& verdict) {
  const std::string& id = entry.config.id;
  std::string summary = state_summary(verdict);
  if (summary == entry.last_persisted) return;
  if (!entry.last || entry.last->up != verdict.up) {
    if (verdict.up) {
      spdlog::info("target '{}': up (HTTP {})", id, verdict.status);
    } else {
      spdlog::warn("target '{}': down: {} ({})", id, verdict.reason, verdict.detail);
    }
  }
  write_or_undo(
      "a target's state",
      [row = TargetStateRow{id, verdict.at, verdict_to_json(verdict)}](Store& s) { return s.put_target_state(row); },
      [this, id] {
        if (WebTargetEntry* e = find(id)) e->last_persisted.clear();
      });
  entry.last_persisted = std::move(summary);
}

}  // namespace netwarden
