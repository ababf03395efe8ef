// HttpFetcher: fetches one URL over HTTP/1.1 or HTTPS with Boost.Beast,
// following redirects, within one overall deadline.
//
// Every failure is reported in the FetchResult, never thrown. Memory is
// bounded: the body is read up to max_body bytes, headers up to 64 KiB.
// A new connection is made for every fetch (a check measures what a new
// visitor sees). TLS verification (SNI, chain against the system CA store or
// the request's ca_file, hostname) is on unless verify_tls is false; the
// certificate's expiry and fingerprint are reported either way.
//
// Thread-safety: use from the thread running the executor it was made with.
// The Beast code lives only in the .cc file, so including this is cheap.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "probes/web/fetch_result.h"

namespace netwarden {

struct FetchRequest {
  std::string url;          // http:// or https://, IPv6 literals in brackets
  Duration timeout{10000};  // for the whole fetch, redirects included
  std::uint64_t max_body = 2 * 1024 * 1024;
  int max_redirects = 5;
  bool verify_tls = true;
  std::string ca_file;  // empty: the system CA store
  // Who the request says it comes from, so that a site showing other pages
  // to search-engine crawlers or to visitors from a search result
  // (cloaking) can be fetched as they are. Sent on every hop; a value with
  // a line break fails the fetch as bad_url.
  std::string user_agent{};  // empty: "netwarden/VERSION"
  std::string referer{};     // empty: no Referer header
  // A conditional request (a crawl's second visit): the validators the
  // last response gave, so that an unchanged page is answered 304 with no
  // body. Empty: not sent. Checked like user_agent.
  std::string if_none_match{};
  std::string if_modified_since{};
};

class HttpFetcher {
 public:
  explicit HttpFetcher(boost::asio::any_io_executor executor);
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  boost::asio::awaitable<FetchResult> fetch(FetchRequest request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;  // SSL contexts (one per CA file), reused across fetches
};

}  // namespace netwarden
