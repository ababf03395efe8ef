// HttpFetcher against real peers on loopback: nginx for well-behaved sites
// (plain, TLS with a self-signed certificate, IPv6) and HostileServer for
// servers that hang or break the protocol.
#include "probes/web/http_fetcher.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <zlib.h>

#include <cstdio>

#include "common/sha256.h"
#include "tests/support/blocking_fetcher.h"
#include "tests/support/free_port.h"
#include "tests/support/hostile_server.h"
#include "tests/support/nginx_server.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;
using Fetcher = test::BlockingFetcher;
using test::HostileMode;
using test::HostileServer;
using test::NginxServer;

const std::string kPage = "<html><body><h1>Portal</h1></body></html>\n";

std::string redirect_chain(int hops) {
  std::string config;
  for (int i = 0; i < hops; ++i) {
    config += "location = /hop" + std::to_string(i) + " { return 302 /hop" + std::to_string(i + 1) + "; }\n";
  }
  return config + "location = /hop" + std::to_string(hops) + " { return 200 'end of chain'; }\n";
}

FetchRequest request_for(std::string url, Duration timeout = 5000ms) {
  FetchRequest request;
  request.url = std::move(url);
  request.timeout = timeout;
  return request;
}

std::string cert_fingerprint(const std::string& pem_path) {
  FILE* f = std::fopen(pem_path.c_str(), "r");
  if (f == nullptr) return {};
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return {};
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  std::string hex = sha256_hex(std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(len)));
  OPENSSL_free(der);
  X509_free(cert);
  return hex;
}

// `data` compressed by zlib: window_bits 31 writes gzip, 15 zlib's
// format, -15 raw deflate.
std::string compressed(std::string_view data, int window_bits) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

class HttpFetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = NginxServer::start({.server_config = R"(
        absolute_redirect off;
        location = /a { return 301 /b; }
        location = /b { return 302 http://localhost:$server_port/page.html; }
        location = /loop1 { return 302 /loop2; }
        location = /loop2 { return 307 /loop1; }
        location = /error { return 500 'broken'; }
        location = /who { return 200 "$http_user_agent|$http_referer"; }
        location = /who-redirect { return 302 /who; }
        location /chunked/ { ssi on; }
        location /close-delimited/ { ssi on; chunked_transfer_encoding off; }
        # Compressed whatever the request asked, as some servers do.
        location /gzip/ { add_header Content-Encoding gzip; }
        location /deflate/ { add_header Content-Encoding deflate; }
      )" + redirect_chain(6),
                                       .https = true});
    if (started) {
      nginx_ = std::move(*started).release();
      nginx_->write_file("page.html", kPage);
      nginx_->write_file("big.html", std::string(100 * 1024, 'x'));
      nginx_->write_file("chunked/page.html", kPage);
      nginx_->write_file("close-delimited/page.html", kPage);
      nginx_->write_file("gzip/page.html", compressed(kPage, 31));
      nginx_->write_file("gzip/bomb.html", compressed(std::string(10 * 1024 * 1024, ' '), 31));
      nginx_->write_file("gzip/corrupt.html", compressed(kPage, 31).substr(0, 20));
      nginx_->write_file("deflate/zlib.html", compressed(kPage, 15));
      nginx_->write_file("deflate/raw.html", compressed(kPage, -15));
    } else {
      start_error_ = new std::string(started.error().message);
    }
  }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
    delete start_error_;
    start_error_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(nginx_, nullptr) << *start_error_; }

  static NginxServer* nginx_;
  static std::string* start_error_;
  Fetcher fetch_;
};

NginxServer* HttpFetcherTest::nginx_ = nullptr;
std::string* HttpFetcherTest::start_error_ = nullptr;

TEST_F(HttpFetcherTest, FetchesPageWithTimingsAndAddresses) {
  const std::string url = nginx_->url("/page.html");
  FetchResult r = fetch_(url);
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kPage);
  EXPECT_EQ(r.content_type, "text/html");
  EXPECT_EQ(r.final_url, url);
  EXPECT_EQ(r.redirects, 0);
  EXPECT_EQ(r.remote_address, "127.0.0.1:" + std::to_string(nginx_->port()));
  EXPECT_EQ(r.resolved_addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_FALSE(r.tls.used);
  EXPECT_GT(r.timings.connect.count(), 0);
  EXPECT_GT(r.timings.first_byte.count(), 0);
  EXPECT_GE(r.timings.total, r.timings.dns + r.timings.connect + r.timings.first_byte);
}

TEST_F(HttpFetcherTest, ResolvesHostNames) {
  FetchResult r = fetch_(nginx_->url("/page.html", "localhost"));
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(r.timings.dns.count(), 0);
  EXPECT_FALSE(r.resolved_addresses.empty());
  EXPECT_TRUE(std::is_sorted(r.resolved_addresses.begin(), r.resolved_addresses.end()));
}

TEST_F(HttpFetcherTest, FetchesOverIpv6Loopback) {
  FetchResult r = fetch_(nginx_->url("/page.html", "[::1]"));
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kPage);
  EXPECT_EQ(r.remote_address, "[::1]:" + std::to_string(nginx_->port()));
  EXPECT_EQ(r.resolved_addresses, std::vector<std::string>{"::1"});
}

TEST_F(HttpFetcherTest, ReportsErrorStatusesAsResponses) {
  FetchResult error = fetch_(nginx_->url("/error"));
  EXPECT_EQ(error.failure, FetchFailure::none) << error.detail;
  EXPECT_EQ(error.status, 500);
  EXPECT_EQ(error.body, "broken");

  FetchResult missing = fetch_(nginx_->url("/missing.html"));
  EXPECT_EQ(missing.failure, FetchFailure::none) << missing.detail;
  EXPECT_EQ(missing.status, 404);
}

TEST_F(HttpFetcherTest, ReadsChunkedAndCloseDelimitedBodies) {
  for (const char* path : {"/chunked/page.html", "/close-delimited/page.html"}) {
    FetchResult r = fetch_(nginx_->url(path));
    EXPECT_EQ(r.failure, FetchFailure::none) << path << ": " << r.detail;
    EXPECT_EQ(r.body, kPage) << path;
  }
}

TEST_F(HttpFetcherTest, FollowsRelativeAndAbsoluteRedirects) {
  FetchResult r = fetch_(nginx_->url("/a"));
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.redirects, 2);
  EXPECT_EQ(r.final_url, nginx_->url("/page.html", "localhost"));
  EXPECT_EQ(r.body, kPage);
}

TEST_F(HttpFetcherTest, DetectsRedirectLoop) {
  FetchResult r = fetch_(nginx_->url("/loop1"));
  EXPECT_EQ(r.failure, FetchFailure::redirect_loop);
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.redirects, 1);
}

TEST_F(HttpFetcherTest, FollowsAtMostMaxRedirects) {
  FetchRequest request = request_for(nginx_->url("/hop0"));
  request.max_redirects = 6;
  FetchResult within = fetch_(request);
  EXPECT_EQ(within.failure, FetchFailure::none) << within.detail;
  EXPECT_EQ(within.redirects, 6);
  EXPECT_EQ(within.body, "end of chain");

  request.max_redirects = 5;
  FetchResult beyond = fetch_(request);
  EXPECT_EQ(beyond.failure, FetchFailure::too_many_redirects);
  EXPECT_EQ(beyond.redirects, 5);
  EXPECT_TRUE(beyond.body.empty());
}

TEST_F(HttpFetcherTest, EnforcesBodyLimit) {
  FetchRequest request = request_for(nginx_->url("/big.html"));
  request.max_body = 10 * 1024;
  FetchResult over = fetch_(request);
  EXPECT_EQ(over.failure, FetchFailure::body_too_large);
  EXPECT_TRUE(over.body.empty());

  request.max_body = 100 * 1024;
  FetchResult exact = fetch_(request);
  EXPECT_EQ(exact.failure, FetchFailure::none) << exact.detail;
  EXPECT_EQ(exact.body.size(), 100u * 1024);

  request = request_for(nginx_->url("/chunked/page.html"));
  request.max_body = 10;
  EXPECT_EQ(fetch_(request).failure, FetchFailure::body_too_large);
}

TEST_F(HttpFetcherTest, InflatesBodiesSentCompressed) {
  for (const char* path : {"/gzip/page.html", "/deflate/zlib.html", "/deflate/raw.html"}) {
    FetchResult r = fetch_(nginx_->url(path));
    EXPECT_EQ(r.failure, FetchFailure::none) << path << ": " << r.detail;
    EXPECT_EQ(r.body, kPage) << path;
  }
}

TEST_F(HttpFetcherTest, InflatedBodyHeldToTheLimit) {
  // 10 MiB of spaces in about 10 KB of gzip: stopped at max_body like any
  // large body, not inflated in full.
  FetchRequest request = request_for(nginx_->url("/gzip/bomb.html"));
  request.max_body = 1024 * 1024;
  FetchResult bomb = fetch_(request);
  EXPECT_EQ(bomb.failure, FetchFailure::body_too_large);
  EXPECT_NE(bomb.detail.find("inflates to more than max_body"), std::string::npos) << bomb.detail;
  EXPECT_TRUE(bomb.body.empty());

  FetchResult corrupt = fetch_(nginx_->url("/gzip/corrupt.html"));
  EXPECT_EQ(corrupt.failure, FetchFailure::protocol);
  EXPECT_EQ(corrupt.detail, "corrupt gzip body");
}

TEST_F(HttpFetcherTest, RejectsSelfSignedCertificateByDefault) {
  FetchResult r = fetch_(nginx_->https_url("/page.html"));
  EXPECT_EQ(r.failure, FetchFailure::tls);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.tls.used);
  EXPECT_FALSE(r.tls.verified);
  EXPECT_NE(r.tls.verify_error.find("self-signed"), std::string::npos) << r.tls.verify_error;
  // What the certificate is still matters when it is not trusted.
  EXPECT_EQ(r.tls.cert_sha256, cert_fingerprint(nginx_->cert_path()));
}

TEST_F(HttpFetcherTest, TrustsCertificateFromCaFile) {
  FetchRequest request = request_for(nginx_->https_url("/page.html"));
  request.ca_file = nginx_->cert_path();
  FetchResult r = fetch_(request);
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kPage);
  EXPECT_TRUE(r.tls.used);
  EXPECT_TRUE(r.tls.verified);
  EXPECT_TRUE(r.tls.verify_error.empty());
  EXPECT_GT(r.timings.tls.count(), 0);
  EXPECT_EQ(r.tls.cert_sha256, cert_fingerprint(nginx_->cert_path()));
  ASSERT_TRUE(r.tls.cert_not_after);
  // The fixture's certificate is valid for 30 days from now.
  auto days_left = std::chrono::duration_cast<std::chrono::hours>(*r.tls.cert_not_after - now_utc()).count() / 24;
  EXPECT_GE(days_left, 29);
  EXPECT_LE(days_left, 30);

  // Same CA file, an address the certificate does not name: the name check fails.
  request.url = "https://[::1]:" + std::to_string(nginx_->https_port()) + "/page.html";
  FetchResult wrong_name = fetch_(request);
  EXPECT_EQ(wrong_name.failure, FetchFailure::tls);
  EXPECT_NE(wrong_name.tls.verify_error.find("mismatch"), std::string::npos) << wrong_name.tls.verify_error;
}

TEST_F(HttpFetcherTest, SkipsVerificationWhenTurnedOff) {
  FetchRequest request = request_for(nginx_->https_url("/page.html"));
  request.verify_tls = false;
  FetchResult r = fetch_(request);
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.tls.used);
  EXPECT_FALSE(r.tls.verified);
  EXPECT_TRUE(r.tls.cert_not_after);
  EXPECT_EQ(r.tls.cert_sha256, cert_fingerprint(nginx_->cert_path()));
}

TEST_F(HttpFetcherTest, RejectsUnusableUrls) {
  for (const char* url : {"ftp://example.com/", "not a url", "http://", "http://example.com:99999/", "/relative"}) {
    FetchResult r = fetch_(url);
    EXPECT_EQ(r.failure, FetchFailure::bad_url) << url;
    EXPECT_EQ(to_string(r.failure), "bad_url");
    EXPECT_FALSE(r.detail.empty());
  }
}

TEST_F(HttpFetcherTest, SendsOwnUserAgentAndNoRefererByDefault) {
  FetchResult r = fetch_(nginx_->url("/who"));
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.body, "netwarden/" NETWARDEN_VERSION "|");
}

// A cloaking check fetches as a crawler arriving from a search result; a
// redirect on the way must not drop who it claims to be.
TEST_F(HttpFetcherTest, SendsRequestedUserAgentAndRefererOnEveryHop) {
  FetchRequest request = request_for(nginx_->url("/who-redirect"));
  request.user_agent = "Mozilla/5.0 (compatible; Baiduspider/2.0)";
  request.referer = "https://www.baidu.com/s?wd=test";
  FetchResult r = fetch_(request);
  ASSERT_EQ(r.failure, FetchFailure::none) << r.detail;
  EXPECT_EQ(r.redirects, 1);
  EXPECT_EQ(r.body, "Mozilla/5.0 (compatible; Baiduspider/2.0)|https://www.baidu.com/s?wd=test");
}

TEST_F(HttpFetcherTest, RefusesHeaderValuesWithLineBreaks) {
  FetchRequest request = request_for(nginx_->url("/who"));
  request.referer = "https://www.baidu.com/\r\nX-Injected: 1";
  FetchResult r = fetch_(request);
  EXPECT_EQ(r.failure, FetchFailure::bad_url);
  EXPECT_EQ(r.status, 0);
}

TEST_F(HttpFetcherTest, ReportsRefusedConnection) {
  int port = test::free_loopback_port();
  ASSERT_NE(port, 0);
  FetchResult r = fetch_("http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.failure, FetchFailure::connect);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.detail.empty());
}

TEST_F(HttpFetcherTest, ReportsUnresolvableName) {
  FetchResult r = fetch_("http://nonexistent.invalid/");
  EXPECT_EQ(r.failure, FetchFailure::dns) << r.detail;
  EXPECT_TRUE(r.resolved_addresses.empty());
}

class HostileTest : public ::testing::TestWithParam<std::pair<HostileMode, FetchFailure>> {
 protected:
  Fetcher fetch_;
};

TEST_P(HostileTest, FailsWithinDeadline) {
  auto [mode, expected] = GetParam();
  auto server = HostileServer::start(mode);
  ASSERT_TRUE(server) << server.error().message;
  const Duration timeout = 400ms;
  FetchResult r = fetch_(request_for((*server)->url(), timeout));
  EXPECT_EQ(r.failure, expected) << r.detail;
  EXPECT_FALSE(r.detail.empty());
  EXPECT_EQ((*server)->connections(), 1);
  EXPECT_LT(r.timings.total, timeout + 500ms);
  if (expected == FetchFailure::timeout) {
    EXPECT_GE(r.timings.total, timeout);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, HostileTest,
                         ::testing::Values(std::pair{HostileMode::silent, FetchFailure::timeout},
                                           std::pair{HostileMode::trickle, FetchFailure::timeout},
                                           std::pair{HostileMode::malformed, FetchFailure::protocol},
                                           std::pair{HostileMode::close_mid_header, FetchFailure::protocol}));

TEST(HostileChunksTest, StopsAtBodyLimitWhileBodyKeepsComing) {
  auto server = HostileServer::start(HostileMode::trickle);
  ASSERT_TRUE(server) << server.error().message;
  FetchRequest request = request_for((*server)->url());
  request.max_body = 3;
  Fetcher fetch;
  FetchResult r = fetch(request);
  EXPECT_EQ(r.failure, FetchFailure::body_too_large) << r.detail;
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(r.timings.total, 2s);
}

}  // namespace
}  // namespace netwarden
