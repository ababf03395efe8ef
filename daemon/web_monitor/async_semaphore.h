// AsyncSemaphore: bounds how many checks are in flight at once across all
// targets. acquire() suspends the calling coroutine until a slot is free;
// release() hands the slot to the longest waiter. Use SemaphoreSlot to
// release on every exit path. A waiter cancelled through its coroutine's
// cancellation slot (shutdown) gets no slot: acquire() then yields false.
//
// Thread-safety: single-threaded; use only from the executor's thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <memory>

namespace netwarden {

class AsyncSemaphore {
 public:
  AsyncSemaphore(boost::asio::any_io_executor executor, std::size_t slots);

  boost::asio::awaitable<bool> acquire();
  void release();
  std::size_t in_use() const { return slots_ - available_; }

 private:
  boost::asio::any_io_executor executor_;
  std::size_t slots_;
  std::size_t available_;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

class SemaphoreSlot {
 public:
  explicit SemaphoreSlot(AsyncSemaphore& semaphore) : semaphore_(&semaphore) {}
  ~SemaphoreSlot() { semaphore_->release(); }
  SemaphoreSlot(const SemaphoreSlot&) = delete;
  SemaphoreSlot& operator=(const SemaphoreSlot&) = delete;

 private:
  AsyncSemaphore* semaphore_;
};

}  // namespace netwarden
