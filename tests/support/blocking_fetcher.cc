#include "tests/support/blocking_fetcher.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <optional>

namespace netwarden::test {

FetchResult BlockingFetcher::operator()(FetchRequest request) {
  std::optional<FetchResult> out;
  boost::asio::co_spawn(io_, fetcher_.fetch(std::move(request)), [&](std::exception_ptr e, FetchResult r) {
    EXPECT_FALSE(e) << "fetch() threw";
    out = std::move(r);
  });
  io_.restart();
  io_.run();
  return out.value_or(FetchResult{});
}

FetchResult BlockingFetcher::operator()(std::string url) {
  FetchRequest request;
  request.url = std::move(url);
  return (*this)(std::move(request));
}

}  // namespace netwarden::test
