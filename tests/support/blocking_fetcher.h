// BlockingFetcher: the daemon's HttpFetcher (probes/web/http_fetcher.h) run
// to completion on its own io_context, one request at a time, for tests
// that want a FetchResult without writing a coroutine. One fetcher serves
// every call, as in the daemon.
//
//   BlockingFetcher fetch;
//   FetchResult r = fetch(FetchRequest{.url = nginx->url("/page.html")});
//
// Not thread-safe; one thread owns it.
#pragma once

#include <boost/asio/io_context.hpp>

#include "probes/web/http_fetcher.h"

namespace netwarden::test {

class BlockingFetcher {
 public:
  FetchResult operator()(FetchRequest request);
  FetchResult operator()(std::string url);  // a request with the defaults

 private:
  boost::asio::io_context io_;
  HttpFetcher fetcher_{io_.get_executor()};
};

}  // namespace netwarden::test
