#include "daemon/notifier/channels/http_post.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>

namespace netwarden {

namespace {

constexpr std::size_t kMaxReply = std::size_t{64} * 1024;

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// Once per process, whichever thread gets here first.
bool curl_initialized() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

// Opened close-on-exec, so no program the daemon starts inherits it.
curl_socket_t open_cloexec_socket(void*, curlsocktype, curl_sockaddr* address) {
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::size_t keep_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* reply = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  reply->append(data, std::min(n, kMaxReply - std::min(kMaxReply, reply->size())));
  return n;  // the rest is read and dropped, so the reply still completes
}

}  // namespace

std::expected<HttpReply, SendFailure> http_post(const HttpRequest& request, const HttpOptions& options,
                                                const std::string& endpoint) {
  if (!curl_initialized()) return std::unexpected(SendFailure{endpoint + ": libcurl could not be initialised", false});
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) return std::unexpected(SendFailure{endpoint + ": libcurl could not make a handle", false});
  std::unique_ptr<curl_slist, CurlDeleter> headers;
  for (const std::string& h : request.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
  headers.reset(curl_slist_append(headers.release(), ("Content-Type: " + request.content_type).c_str()));
  // No "Expect: 100-continue" round trip before the body.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));

  CURL* h = handle.get();
  char error_buffer[CURL_ERROR_SIZE] = "";
  HttpReply reply;
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_cloexec_socket);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "netwarden/" NETWARDEN_VERSION);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  // "" turns off the proxy variables of the environment too.
  curl_easy_setopt(h, CURLOPT_PROXY, options.proxy.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_reply);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    std::string message = endpoint + ": ";
    message += error_buffer[0] != '\0' ? std::string(error_buffer) + " (" + curl_easy_strerror(rc) + ")"
                                       : std::string(curl_easy_strerror(rc));
    return std::unexpected(SendFailure{std::move(message), false});
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace netwarden
