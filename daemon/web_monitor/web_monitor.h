// WebMonitor: runs every web target's checks on the io thread.
//
// One scheduler coroutine keeps every target's next due time in a queue
// and starts a check coroutine when it is due: a random first delay within
// min(interval, 10 s) (so targets do not fire in lockstep), then one check per
// interval, never more than max_concurrent_checks in flight. An idle target
// costs only its entry: no timer and no suspended coroutine of its own. A check is
// fetch → (if the body changed since the last fetch) content analysis →
// judge_check → record. Recording goes through the StoreWriter, so a slow
// disk never delays the next check; samples are the only writes that may be
// dropped (when the writer's queue is full, counted in dropped_samples()).
// What else it writes is believed only once written: a baseline becomes the
// target's when its write commits, and when evidence or a state cannot be
// written the page is forgotten so that a later check writes it again
// (failures are reported to WriteHealth).
//
// Thread-safety: single-threaded; everything runs on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/core/cloaking.h"
#include "daemon/core/web_check.h"
#include "daemon/store/store_writer.h"
#include "daemon/web_monitor/async_semaphore.h"
#include "daemon/web_monitor/content_analyzers.h"
#include "probes/content/content_digest.h"
#include "probes/web/http_fetcher.h"

namespace netwarden {

class WriteHealth;
struct Baseline;
struct TargetStateRow;

struct WebTargetEntry {
  WebTargetEntry(WebTarget target, ContentAnalyzer content) : config(std::move(target)), analyzer(std::move(content)) {}

  WebTarget config;
  ContentAnalyzer analyzer;
  std::optional<BaselineFingerprints> baseline;
  CheckMemory memory;
  std::optional<CheckVerdict> last;
  std::string last_persisted;     // summary of the last state written (or being written) to the store
  bool baseline_pending = false;  // a first baseline is being written
  // When the cloaking variants were last fetched (none yet: due at the
  // first good check), which of them the site refused then and what the
  // one that showed more than the plain page showed.
  std::optional<boost::asio::steady_timer::clock_type::time_point> last_cloaking;
  std::vector<std::string> cloaking_refused;
  CloakingShown cloaking_shown;
  boost::asio::cancellation_signal stop;  // aborts the target's check in flight
};

class WebMonitor {
 public:
  WebMonitor(boost::asio::any_io_executor executor, StoreWriter& writer, WriteHealth& health,
             int max_concurrent_checks);
  ~WebMonitor();

  // Adds a target with what the store remembers of it. Fails when its
  // content rules or keyword list cannot be compiled or read.
  Result<void> add_target(const WebTarget& target, const std::optional<Baseline>& baseline,
                          const std::optional<TargetStateRow>& state);

  // Called after every completed check with the target's id and verdict
  // (the incident keeper listens here).
  using VerdictListener = std::function<void(const std::string& target, const CheckVerdict& verdict)>;
  void on_verdict(VerdictListener listener) { listener_ = std::move(listener); }

  void start();
  // Ends the scheduler and aborts every check in flight without recording
  // it, so the io_context runs out of work and returns.
  void stop();

  // The fingerprints of the page last analysed for `target`, which an
  // approval makes its baseline. Errors: unknown target, nothing analysed
  // since the daemon started.
  Result<BaselineFingerprints> current_content(const std::string& target) const;
  // Later checks of `target` compare with `baseline` (an approval, or the
  // old baseline back when the approval could not be recorded). Returns the
  // baseline it had.
  std::optional<BaselineFingerprints> set_baseline(const std::string& target,
                                                   std::optional<BaselineFingerprints> baseline);

  const std::vector<std::unique_ptr<WebTargetEntry>>& targets() const { return targets_; }
  std::size_t checks_in_flight() const { return semaphore_.in_use(); }
  std::uint64_t dropped_samples() const { return dropped_samples_; }
  std::uint64_t checks_completed() const { return checks_completed_; }

 private:
  using Clock = boost::asio::steady_timer::clock_type;
  struct Due {
    Clock::time_point at;
    WebTargetEntry* entry;
    bool operator>(const Due& other) const { return at > other.at; }
  };

  boost::asio::awaitable<void> schedule();
  // Runs one check that was due at `due`, holding a semaphore slot taken by
  // the scheduler, then queues the target's next check.
  boost::asio::awaitable<void> check(WebTargetEntry& entry, Clock::time_point due);
  // What this check leaves for the next (CheckMemory), the page's texts left out.
  static void remember(CheckMemory& memory, const FetchResult& fetch, std::optional<ContentDigest> fresh,
                       std::string body_sha256);
  // Whether the target's cloaking variants are due on this check.
  bool cloaking_due(const WebTargetEntry& entry) const;
  // Puts a cloaking round's findings on the verdict, its refusals on the target.
  void note_cloaking(WebTargetEntry& entry, CloakingVerdict round, CheckVerdict& verdict);
  void queue_check(WebTargetEntry& entry, Clock::time_point at);
  void record(WebTargetEntry& entry, const FetchResult& fetch, const ContentDigest* fresh_digest,
              const CheckVerdict& verdict);
  void record_sample(const std::string& id, const FetchResult& fetch, const ContentDigest* digest,
                     const CheckVerdict& verdict);
  void record_first_baseline(WebTargetEntry& entry, const ContentDigest& fresh, Time at);
  void record_change_evidence(WebTargetEntry& entry, const ContentDigest& fresh, const CheckVerdict& verdict);
  void record_state(WebTargetEntry& entry, const CheckVerdict& verdict);
  void write_or_undo(const char* what, StoreWriter::Job job, std::function<void()> undo);
  void forget_page(const std::string& target);
  WebTargetEntry* find(const std::string& target) const;

  boost::asio::any_io_executor executor_;
  StoreWriter& writer_;
  WriteHealth& health_;
  AsyncSemaphore semaphore_;
  HttpFetcher fetcher_;
  std::mt19937_64 random_;
  ContentAnalyzers analyzers_;
  std::vector<std::unique_ptr<WebTargetEntry>> targets_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  boost::asio::steady_timer wake_;  // the scheduler's wait for the earliest due check
  boost::asio::cancellation_signal stop_scheduler_;
  std::uint64_t dropped_samples_ = 0;
  std::uint64_t checks_completed_ = 0;
  VerdictListener listener_;
  bool stopping_ = false;
};

}  // namespace netwarden
