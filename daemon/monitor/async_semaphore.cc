#include "daemon/monitor/async_semaphore.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace netwarden {

AsyncSemaphore::AsyncSemaphore(boost::asio::any_io_executor executor, std::size_t slots)
    : executor_(std::move(executor)), slots_(slots), available_(slots) {}

boost::asio::awaitable<void> AsyncSemaphore::acquire() {
  if (available_ > 0) {
    --available_;
    co_return;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, boost::asio::steady_timer::time_point::max());
  waiters_.push_back(timer);
  boost::system::error_code ec;
  // release() cancels the timer to wake us: the slot is then ours.
  co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
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
