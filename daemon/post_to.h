// post_to(): how work finished on another thread (the store writer's
// completions) comes back to the io thread. The store knows no Asio; the
// daemon gives it this.
//
// The returned function may be called from any thread; the executor must
// outlive every call.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <utility>

namespace netwarden {

inline std::function<void(std::function<void()>)> post_to(boost::asio::any_io_executor executor) {
  return [executor = std::move(executor)](std::function<void()> work) { boost::asio::post(executor, std::move(work)); };
}

}  // namespace netwarden
