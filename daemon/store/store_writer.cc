#include "daemon/store/store_writer.h"

#include "daemon/store/transaction.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/store/store.h"

namespace netwarden {

namespace {

struct Entry {
  StoreWriter::Job job;
  StoreWriter::Done done;
};

// A job that throws is a bug in the job; it fails alone instead of taking
// the writer thread down.
Result<void> invoke(StoreWriter::Job& job, Store& store) {
  try {
    return job(store);
  } catch (const std::exception& e) {
    return fail(std::string("store job threw: ") + e.what());
  } catch (...) {
    return fail("store job threw a non-standard exception");
  }
}

// Each job runs in a savepoint of the batch's transaction, so a failing job
// is undone alone and the others still commit, each job running exactly once.
// (A savepoint that cannot be undone abandons the whole transaction, which
// the batch's commit then reports to every job.)
Result<void> run_job(StoreWriter::Job& job, Store& store) {
  return in_transaction(store, [&] { return invoke(job, store); });
}

}  // namespace

// Jobs nobody waits for (probe samples, state snapshots) wait this long to
// share a transaction and a thread wake-up with others: at thousands of
// checks a second, waking the writer per sample cost more CPU than the
// checks themselves. A job with a completion callback is written at once.
constexpr auto kLinger = std::chrono::milliseconds(100);
constexpr std::size_t kFullBatch = 512;

struct StoreWriter::Impl {
  std::unique_ptr<Store> store;
  PostBack post_back;
  std::size_t max_pending;

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::vector<Entry> queue;
  std::size_t running = 0;  // jobs taken by the thread whose batch has not finished
  bool urgent = false;      // a queued job has a completion callback
  std::chrono::steady_clock::time_point first_queued;
  std::uint64_t refused = 0;
  bool stopping = false;
  std::thread thread;

  void run() {
    std::vector<Entry> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return stopping || !queue.empty(); });
        wake.wait_until(lock, first_queued + kLinger,
                        [this] { return stopping || urgent || queue.size() >= kFullBatch; });
        if (queue.empty()) return;  // stopping, and everything posted has run
        batch.swap(queue);
        urgent = false;
        running = batch.size();
      }
      run_batch(batch);
      batch.clear();
    }
  }

  void run_batch(std::vector<Entry>& batch) {
    std::vector<Result<void>> results;
    results.reserve(batch.size());
    if (auto begun = store->begin(); !begun) {
      results.assign(batch.size(), begun);
    } else {
      for (auto& entry : batch) results.push_back(run_job(entry.job, *store));
      // Nothing in the batch is durable unless the commit is.
      if (auto committed = store->commit(); !committed) results.assign(batch.size(), committed);
    }
    // The batch is no longer pending when its Dones run, so a Done that
    // posts again finds the room the batch had.
    {
      std::lock_guard lock(mutex);
      running = 0;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].done) continue;
      post_back(
          [done = std::move(batch[i].done), result = std::move(results[i])]() mutable { done(std::move(result)); });
    }
  }
};

StoreWriter::StoreWriter(std::unique_ptr<Store> store, PostBack post_back, std::size_t max_pending)
    : impl_(std::make_unique<Impl>()) {
  impl_->store = std::move(store);
  impl_->post_back = std::move(post_back);
  impl_->max_pending = max_pending;
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

StoreWriter::~StoreWriter() { stop(); }

bool StoreWriter::post(Job job, Done done) {
  bool wake_writer = false;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return false;
    if (impl_->queue.size() + impl_->running >= impl_->max_pending) {
      ++impl_->refused;
      return false;
    }
    if (impl_->queue.empty()) impl_->first_queued = std::chrono::steady_clock::now();
    // The writer sleeps until the first job of a batch (which starts its
    // linger), an urgent job, or a full batch; other posts need no wake-up.
    wake_writer = impl_->queue.empty() || done != nullptr || impl_->queue.size() + 1 == kFullBatch;
    if (done) impl_->urgent = true;
    impl_->queue.push_back(Entry{std::move(job), std::move(done)});
  }
  if (wake_writer) impl_->wake.notify_one();
  return true;
}

void StoreWriter::submit(Job job, Done done) {
  if (post(std::move(job), done)) return;
  impl_->post_back([done = std::move(done)] {
    done(fail("the store refused the write: its queue is full or it is shutting down"));
  });
}

void StoreWriter::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint64_t StoreWriter::refused() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->refused;
}

std::size_t StoreWriter::pending() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->queue.size() + impl_->running;
}

}  // namespace netwarden
