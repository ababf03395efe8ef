#include "daemon/web_monitor/async_semaphore.h"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace netwarden {

AsyncSemaphore::AsyncSemaphore(boost::asio::any_io_executor executor, std::size_t slots)
    : executor_(std::move(executor)), slots_(slots), available_(slots) {}

boost::asio::awaitable<bool> AsyncSemaphore::acquire() {
  if (available_ > 0) {
    --available_;
    co_return true;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, boost::asio::steady_timer::time_point::max());
  waiters_.push_back(timer);
  boost::system::error_code ec;
  // release() cancels the timer to wake us and removes it from the queue:
  // the slot is then ours. Still queued means we were cancelled instead.
  co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  auto still_queued = std::find(waiters_.begin(), waiters_.end(), timer);
  if (still_queued == waiters_.end()) co_return true;
  waiters_.erase(still_queued);
  co_return false;
}

void AsyncSemaphore::release() {
  if (waiters_.empty()) {
    ++available_;
    return;
  }
  auto next = std::move(waiters_.front());
  waiters_.pop_front();
  next->cancel();
}

}  // namespace netwarden
