// StoreWriter: runs store writes on a thread of their own so that a slow
// disk never stalls probe timing or the control socket.
//
// Jobs run in the order posted. Consecutive jobs that are queued together
// run inside one transaction (batching makes a sample cost microseconds
// instead of a disk flush each). A job without a completion callback may
// wait up to 100 ms for others to share its batch; one with a callback is
// written at once, together with whatever is queued. A job's completion callback, if given, is
// handed to `post_back` after the transaction commits, which runs it on the
// caller's thread (the daemon's post_to(), daemon/post_to.h, posts it to the
// io executor): "write first, act after" — the callback learns whether the
// write is durable.
// Each job runs in a savepoint of the batch's transaction: a job that fails
// is undone alone and its Done gets its error while the others commit; if
// the commit itself fails, every job's Done gets that error. Whatever
// post_back posts to must outlive the writer.
//
// The queue is bounded: at most max_pending jobs are pending (queued or in
// the batch being written). post() never blocks: when the queue is full the
// job is refused (post returns false) and the refusal is counted. submit()
// is post() for writes that must not be lost: a refusal reaches its Done as
// an error like any failed write, so the caller's one failure path (keep
// the old state, try again) covers it. stop() drains the
// queue, then joins the thread; it is idempotent, and post() after it
// returns false. post(), pending() and refused() may be called from any
// thread; stop() from one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/result.h"

namespace netwarden {

class Store;

class StoreWriter {
 public:
  using Job = std::function<Result<void>(Store&)>;
  using Done = std::function<void(Result<void>)>;
  // Called on the writer thread with a Done bound to its result; must not block.
  using PostBack = std::function<void(std::function<void()>)>;

  StoreWriter(std::unique_ptr<Store> store, PostBack post_back, std::size_t max_pending = 100000);
  ~StoreWriter();  // calls stop()
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  [[nodiscard]] bool post(Job job, Done done = nullptr);
  void submit(Job job, Done done);
  void stop();

  std::uint64_t refused() const;  // jobs refused because the queue was full
  std::size_t pending() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden
