// transport = "smtp": libcurl's SMTP client, one easy handle per attempt.
//
// Relays are tried in order. A transient failure (no connection, TLS or
// AUTH trouble, a 4xx reply, a timeout) moves on to the next relay; a
// permanent one (any other 5xx reply: a refused recipient, sender or
// message) stops: another relay would refuse it for the same reason.
//
// A rejected login (535) or a relay demanding one (530) is a 5xx reply but
// counts as transient: the account, not the message, is at fault, so the
// message stays queued (loudly retried) until the administrator fixes the
// password file and reloads, instead of being marked failed at once.
//
// smtp:// requires STARTTLS (CURLUSESSL_ALL) unless starttls = false;
// smtps:// is TLS from the first byte. ca_file is added to the system's
// trust store (libcurl with OpenSSL keeps its default CA directory,
// /etc/ssl/certs on Debian, when CAINFO is set).
// The password is read once, here, and goes only to libcurl. connect_timeout
// and timeout bound each relay's attempt, so send() takes at most
// relays x timeout.
#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "common/text_file.h"
#include "daemon/notifier/transport/transports.h"

namespace netwarden::transport_detail {
namespace {

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlDeleter>;

// Once per process, whichever thread gets here first.
bool curl_initialized() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

struct Upload {
  std::string_view rest;
};

// libcurl's connection, opened close-on-exec so no program the daemon
// starts inherits it.
curl_socket_t open_cloexec_socket(void*, curlsocktype, curl_sockaddr* address) {
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

bool is_tls_failure(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED: return true;
    default: return false;
  }
}

// curl's own words for what failed, and the server's last reply code.
SendFailure describe_failure(const std::string& relay, CURLcode rc, const char* error_buffer, long reply) {
  std::string message = relay + ": ";
  if (is_tls_failure(rc)) message += "TLS failed: ";
  // The buffer, when curl fills it, says most; the code's name is always there.
  if (error_buffer[0] != '\0') {
    message += std::string(error_buffer) + " (" + curl_easy_strerror(rc) + ")";
  } else {
    message += curl_easy_strerror(rc);
  }
  if (reply != 0) message += " (last reply " + std::to_string(reply) + ")";
  const bool account_problem = rc == CURLE_LOGIN_DENIED || reply == 530 || reply == 535;
  return SendFailure{std::move(message), reply >= 500 && !account_problem};
}

class SmtpTransport final : public MailTransport {
 public:
  SmtpTransport(MailSettings settings, std::string password)
      : settings_(std::move(settings)), password_(std::move(password)), ehlo_name_(local_host_name()) {}

  std::expected<void, SendFailure> send(const OutgoingMail& mail) override {
    std::string failures;
    for (const std::string& relay : settings_.relays) {
      std::expected<void, SendFailure> sent = send_via(relay, mail);
      if (sent) return {};
      if (sent.error().permanent) return sent;
      failures += (failures.empty() ? "" : "; ") + sent.error().message;
    }
    return std::unexpected(SendFailure{std::move(failures), false});
  }

  std::string describe() const override {
    std::string text = "smtp via";
    for (std::size_t i = 0; i < settings_.relays.size(); ++i) text += (i ? ", " : " ") + settings_.relays[i];
    return text;
  }

 private:
  std::expected<void, SendFailure> send_via(const std::string& relay, const OutgoingMail& mail) const {
    CurlHandle handle(curl_easy_init());
    if (!handle) return std::unexpected(SendFailure{relay + ": cannot create a libcurl handle", false});
    CURL* h = handle.get();
    char error_buffer[CURL_ERROR_SIZE] = {};
    Upload upload{mail.data};
    CurlList recipients;
    for (const std::string& to : mail.to) {
      curl_slist* grown = curl_slist_append(recipients.get(), ("<" + to + ">").c_str());
      if (!grown) return std::unexpected(SendFailure{relay + ": out of memory", false});
      // curl_slist_append extends the list in place and returns its head:
      // the owner lets go of the old head only to take the same list back.
      (void)recipients.release();
      recipients.reset(grown);
    }
    const std::string url = relay + "/" + ehlo_name_;  // the path names us in EHLO
    const std::string from = "<" + mail.envelope_from + ">";
    const bool verify = settings_.tls_verify;
    const bool plain_smtp = relay.starts_with("smtp://");

    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_cloexec_socket);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_USE_SSL, plain_smtp && !settings_.starttls ? CURLUSESSL_NONE : CURLUSESSL_ALL);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);

    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) return {};
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    return std::unexpected(describe_failure(relay, rc, error_buffer, reply));
  }

  MailSettings settings_;
  std::string password_;
  std::string ehlo_name_;
};

}  // namespace

Result<std::unique_ptr<MailTransport>> make_smtp_transport(const MailSettings& settings) {
  if (settings.relays.empty()) return fail("transport = \"smtp\" needs at least one relay");
  if (!curl_initialized()) return fail("cannot initialise libcurl");
  std::string password;
  if (!settings.username.empty()) {
    // The error names the file and why it cannot be read, never its content.
    Result<std::string> text = read_text_file(settings.password_file);
    if (!text)
      return fail("cannot read the SMTP password file " + settings.password_file + ": " + text.error().message);
    password = std::move(*text);
    if (password.ends_with('\n')) password.pop_back();
    if (password.ends_with('\r')) password.pop_back();
    if (password.empty()) return fail("the SMTP password file " + settings.password_file + " is empty");
  }
  return std::make_unique<SmtpTransport>(settings, std::move(password));
}

}  // namespace netwarden::transport_detail
