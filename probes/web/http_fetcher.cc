#include "probes/web/http_fetcher.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <map>
#include <tuple>
#include <utility>

#include "common/cloexec_socket.h"
#include "probes/web/content_encoding.h"
#include "probes/web/tls_peer.h"
#include "probes/web/web_url.h"

namespace netwarden {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kFirstRead = std::size_t{16} * 1024;

std::chrono::microseconds since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto address = ep.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

// The outcome of one hop that did not fail: what to return, or where to go next.
struct Hop {
  std::string location;  // set only for a redirect status that carries one
};

// Thrown inside the fetch to end it; fetch() turns it into the result.
struct HopFailed {
  FetchFailure failure;
  std::string detail;
};

// Every I/O error goes through here: past the deadline it is a timeout
// whatever the layer reported (a closed stream, a truncated TLS record).
HopFailed io_failure(const error_code& ec, FetchFailure otherwise, std::string_view during,
                     SteadyClock::time_point deadline) {
  if (ec == beast::error::timeout || SteadyClock::now() >= deadline) {
    return {FetchFailure::timeout, "deadline passed while " + std::string(during)};
  }
  if (ec == http::error::body_limit) return {FetchFailure::body_too_large, "body larger than max_body"};
  return {otherwise, std::string(during) + ": " + ec.message()};
}

struct Resolution {
  error_code ec;
  tcp::resolver::results_type results;
  bool done = false;
};

// getaddrinfo cannot be interrupted, so the lookup runs detached and the
// fetch stops waiting for it at the deadline; the late answer is dropped.
asio::awaitable<std::vector<tcp::endpoint>> resolve(const WebUrl& url, SteadyClock::time_point deadline) {
  if (url.host_is_ip) {
    const auto port = static_cast<unsigned short>(std::stoul(url.port));
    co_return std::vector<tcp::endpoint>{{asio::ip::make_address(url.host), port}};
  }

  auto executor = co_await asio::this_coro::executor;
  struct Pending {
    explicit Pending(const asio::any_io_executor& ex) : resolver(ex), wake(ex) {}
    tcp::resolver resolver;
    asio::steady_timer wake;
    Resolution outcome;
  };
  auto pending = std::make_shared<Pending>(executor);
  pending->wake.expires_at(deadline);
  pending->resolver.async_resolve(url.host, url.port, tcp::resolver::numeric_service,
                                  [pending](const error_code& ec, tcp::resolver::results_type results) {
                                    pending->outcome = Resolution{ec, std::move(results), true};
                                    pending->wake.cancel();
                                  });
  co_await pending->wake.async_wait(nothrow);
  if (!pending->outcome.done) {
    pending->resolver.cancel();
    throw HopFailed{FetchFailure::timeout, "deadline passed while resolving " + url.host};
  }
  if (pending->outcome.ec) {
    throw HopFailed{FetchFailure::dns, "cannot resolve " + url.host + ": " + pending->outcome.ec.message()};
  }
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : pending->outcome.results) endpoints.push_back(entry.endpoint());
  co_return endpoints;
}

// Tries each address in turn, as tcp_stream's range connect does, but on
// sockets opened close-on-exec (Asio's own open() does not set it). The
// error is the last address's; not_found when there is none.
asio::awaitable<std::pair<error_code, tcp::endpoint>> connect_first(beast::tcp_stream& tcp,
                                                                    const std::vector<tcp::endpoint>& endpoints) {
  error_code ec = asio::error::not_found;
  for (const tcp::endpoint& endpoint : endpoints) {
    tcp.close();
    ec = open_cloexec(tcp.socket(), endpoint.protocol());
    if (ec) continue;
    std::tie(ec) = co_await tcp.async_connect(endpoint, nothrow);
    if (!ec || ec == beast::error::timeout) co_return std::pair{ec, endpoint};
  }
  co_return std::pair{ec, tcp::endpoint{}};
}

std::vector<std::string> address_list(const std::vector<tcp::endpoint>& endpoints) {
  std::vector<std::string> addresses;
  addresses.reserve(endpoints.size());
  for (const auto& ep : endpoints) addresses.push_back(ep.address().to_string());
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

// Sends the request and reads the response on a connected (and, for https,
// handshaken) stream. The deadline is already armed on the TCP layer.
template <class Stream>
asio::awaitable<Hop> exchange(Stream& stream, const WebUrl& url, const FetchRequest& asked,
                              SteadyClock::time_point deadline, FetchResult& result) {
  http::request<http::empty_body> request{http::verb::get, url.target, 11};
  request.set(http::field::host, url.host_header);
  if (asked.user_agent.empty()) {
    request.set(http::field::user_agent, "netwarden/" NETWARDEN_VERSION);
  } else {
    request.set(http::field::user_agent, asked.user_agent);
  }
  if (!asked.referer.empty()) request.set(http::field::referer, asked.referer);
  if (!asked.if_none_match.empty()) request.set(http::field::if_none_match, asked.if_none_match);
  if (!asked.if_modified_since.empty()) request.set(http::field::if_modified_since, asked.if_modified_since);
  request.set(http::field::accept_encoding, "identity");
  request.set(http::field::connection, "close");
  if (auto [ec, n] = co_await http::async_write(stream, request, nothrow); ec) {
    throw io_failure(ec, FetchFailure::protocol, "sending the request", deadline);
  }

  const auto sent = SteadyClock::now();
  beast::flat_buffer buffer;
  auto [first_ec, first_n] = co_await stream.async_read_some(buffer.prepare(kFirstRead), nothrow);
  buffer.commit(first_n);
  result.timings.first_byte = since(sent);
  if (first_ec && first_n == 0) {
    throw io_failure(first_ec, FetchFailure::protocol, "waiting for the response", deadline);
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(asked.max_body);
  auto [header_ec, header_n] = co_await http::async_read_header(stream, buffer, parser, nothrow);
  if (header_ec) {
    if (header_ec == http::error::body_limit) result.status = static_cast<int>(parser.get().result_int());
    throw io_failure(header_ec, FetchFailure::protocol, "reading the response header", deadline);
  }
  auto& response = parser.get();
  result.status = static_cast<int>(response.result_int());
  if (auto type = response.find(http::field::content_type); type != response.end()) {
    result.content_type = type->value();
  }
  if (auto tag = response.find(http::field::etag); tag != response.end()) result.etag = tag->value();
  if (auto modified = response.find(http::field::last_modified); modified != response.end()) {
    result.last_modified = modified->value();
  }
  if (is_redirect(result.status)) {
    if (auto location = response.find(http::field::location); location != response.end()) {
      co_return Hop{std::string(location->value())};
    }
  }

  auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, nothrow);
  if (body_ec == ssl::error::stream_truncated && parser.need_eof()) {
    // A close-delimited body from a server that skips close_notify: the
    // body ends where the connection does, as over plain TCP.
    parser.put_eof(body_ec);
  }
  if (body_ec) throw io_failure(body_ec, FetchFailure::protocol, "reading the response body", deadline);
  std::string_view coding;
  if (auto encoding = response.find(http::field::content_encoding); encoding != response.end()) {
    coding = encoding->value();
  }
  auto body = decode_content(std::move(response.body()), coding, asked.max_body);
  if (!body) throw HopFailed{body.error().failure, std::move(body.error().detail)};
  result.body = std::move(*body);
  co_return Hop{};
}

// What a hop reports is about the final hop only.
void start_hop(const std::string& url, FetchResult& result) {
  result.final_url = url;
  result.status = 0;
  result.timings = FetchTimings{};
  result.remote_address.clear();
  result.resolved_addresses.clear();
  result.tls = TlsInfo{};
  result.content_type.clear();
  result.etag.clear();
  result.last_modified.clear();
  result.body.clear();
}

Result<std::unique_ptr<ssl::context>> make_client_context(const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) return fail("cannot load the system CA store: " + ec.message());
  } else {
    context->load_verify_file(ca_file, ec);
    if (ec) return fail("cannot load CA file " + ca_file + ": " + ec.message());
  }
  return context;
}

}  // namespace

struct HttpFetcher::Impl {
  explicit Impl(asio::any_io_executor ex) : executor(std::move(ex)) {}

  asio::any_io_executor executor;
  std::map<std::string, std::unique_ptr<ssl::context>, std::less<>> contexts;  // by CA file, "" = system

  ssl::context& context_for(const std::string& ca_file) {
    auto it = contexts.find(ca_file);
    if (it != contexts.end()) return *it->second;
    auto made = make_client_context(ca_file);
    if (!made) throw HopFailed{FetchFailure::tls, made.error().message};
    return *contexts.emplace(ca_file, std::move(*made)).first->second;
  }

  asio::awaitable<Hop> hop(const WebUrl& url, const FetchRequest& request, SteadyClock::time_point deadline,
                           FetchResult& result);
};

asio::awaitable<Hop> HttpFetcher::Impl::hop(const WebUrl& url, const FetchRequest& request,
                                            SteadyClock::time_point deadline, FetchResult& result) {
  auto started = SteadyClock::now();
  const auto endpoints = co_await resolve(url, deadline);
  result.timings.dns = since(started);
  result.resolved_addresses = address_list(endpoints);

  beast::tcp_stream tcp(executor);
  tcp.expires_at(deadline);
  started = SteadyClock::now();
  auto [connect_ec, endpoint] = co_await connect_first(tcp, endpoints);
  result.timings.connect = since(started);
  if (connect_ec) throw io_failure(connect_ec, FetchFailure::connect, "connecting to " + url.host_header, deadline);
  result.remote_address = endpoint_text(endpoint);

  if (!url.https) co_return co_await exchange(tcp, url, request, deadline, result);

  ssl::stream<beast::tcp_stream> tls(std::move(tcp), context_for(request.ca_file));
  if (auto prepared = prepare_tls_peer(tls.native_handle(), url.host, url.host_is_ip); !prepared) {
    throw HopFailed{FetchFailure::tls, prepared.error().message};
  }
  started = SteadyClock::now();
  auto [handshake_ec] = co_await tls.async_handshake(ssl::stream_base::client, nothrow);
  result.timings.tls = since(started);
  if (handshake_ec) throw io_failure(handshake_ec, FetchFailure::tls, "TLS handshake", deadline);
  read_tls_peer(tls.native_handle(), result.tls);
  if (!request.verify_tls) {
    result.tls.verified = false;
  } else if (!result.tls.verified) {
    throw HopFailed{FetchFailure::tls, "certificate not trusted: " + result.tls.verify_error};
  }
  co_return co_await exchange(tls, url, request, deadline, result);
}

HttpFetcher::HttpFetcher(asio::any_io_executor executor) : impl_(std::make_unique<Impl>(std::move(executor))) {}

HttpFetcher::~HttpFetcher() = default;

asio::awaitable<FetchResult> HttpFetcher::fetch(FetchRequest request) {
  const auto started = SteadyClock::now();
  const auto deadline = started + request.timeout;
  FetchResult result;
  try {
    auto url = parse_web_url(request.url);
    if (!url) throw HopFailed{FetchFailure::bad_url, url.error().message};
    // A line break would end the header and let the value add others.
    if ((request.user_agent + request.referer + request.if_none_match + request.if_modified_since)
            .find_first_of("\r\n") != std::string::npos) {
      throw HopFailed{FetchFailure::bad_url, "a request header's value contains a line break"};
    }
    std::vector<std::string> visited{url->text};
    for (;;) {
      start_hop(url->text, result);
      Hop hop = co_await impl_->hop(*url, request, deadline, result);
      if (hop.location.empty()) break;
      url = resolve_location(*url, hop.location);
      if (!url) throw HopFailed{FetchFailure::bad_url, url.error().message};
      if (std::find(visited.begin(), visited.end(), url->text) != visited.end()) {
        throw HopFailed{FetchFailure::redirect_loop, "redirect back to " + url->text};
      }
      if (result.redirects >= request.max_redirects) {
        throw HopFailed{FetchFailure::too_many_redirects,
                        "more than " + std::to_string(request.max_redirects) + " redirects"};
      }
      visited.push_back(url->text);
      ++result.redirects;
    }
  } catch (HopFailed& failed) {
    result.failure = failed.failure;
    result.detail = std::move(failed.detail);
  } catch (const std::exception& e) {
    result.failure = FetchFailure::protocol;
    result.detail = std::string("unexpected error: ") + e.what();
  } catch (...) {
    result.failure = FetchFailure::protocol;
    result.detail = "unexpected error";
  }
  result.timings.total = since(started);
  co_return result;
}

}  // namespace netwarden
