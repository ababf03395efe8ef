#include "tests/support/nginx_server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/free_port.h"
#include "tests/support/spawn.h"

namespace netwarden::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";
constexpr const char* kOpenssl = "/usr/bin/openssl";
// Another process may take a free_loopback_port() before nginx binds it;
// launch() then fails and is retried with fresh ports.
constexpr int kPortAttempts = 5;

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string listeners(int port, const char* suffix) {
  std::string p = std::to_string(port);
  return "    listen 127.0.0.1:" + p + suffix + ";\n    listen [::1]:" + p + suffix + ";\n";
}

}  // namespace

Result<std::unique_ptr<NginxServer>> NginxServer::start(const NginxOptions& options) {
  std::unique_ptr<NginxServer> server(new NginxServer());
  std::string pattern = (fs::temp_directory_path() / "netwarden-nginx-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return fail("cannot create a temp dir for nginx");
  server->dir_ = pattern;
  server->root_ = server->dir_ + "/html";
  // The workers may run as another user and must read the files.
  fs::permissions(server->dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
  for (const char* sub : {"/html", "/logs", "/tmp", "/conf"}) fs::create_directory(server->dir_ + sub);
  if (options.https) {
    server->cert_path_ = server->dir_ + "/cert.pem";
    auto made = run(
        {kOpenssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost", "-addext",
         "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", server->dir_ + "/key.pem", "-out", server->cert_path_},
        server->dir_ + "/logs/openssl.log");
    if (!made) return std::unexpected(made.error());
  }
  Result<void> launched = fail("no attempt");
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    launched = server->launch(options);
    if (launched) return server;
  }
  return std::unexpected(launched.error());
}

Result<void> NginxServer::launch(const NginxOptions& options) {
  port_ = free_loopback_port();
  https_port_ = options.https ? free_loopback_port() : 0;
  if (port_ == 0 || (options.https && https_port_ == 0)) return fail("no free port on 127.0.0.1");

  const std::string conf_path = dir_ + "/conf/nginx.conf";
  const std::string& d = dir_;
  std::ofstream conf(conf_path, std::ios::trunc);
  conf << "daemon off;\nworker_processes 1;\npid " << d << "/nginx.pid;\n"
       << "error_log " << d << "/logs/error.log warn;\n"
       << (geteuid() == 0 ? "user root;\n" : "") << "events { worker_connections 1024; }\n"
       << "http {\n"
       << "  access_log " << d << "/logs/access.log;\n"
       << "  client_body_temp_path " << d << "/tmp/client_body;\n"
       << "  proxy_temp_path " << d << "/tmp/proxy;\n"
       << "  fastcgi_temp_path " << d << "/tmp/fastcgi;\n"
       << "  uwsgi_temp_path " << d << "/tmp/uwsgi;\n"
       << "  scgi_temp_path " << d << "/tmp/scgi;\n"
       << "  types { text/html html; text/plain txt; text/css css; application/javascript js;"
       << " application/json json; image/png png; }\n"
       << "  default_type application/octet-stream;\n"
       << options.http_config << "\n"
       << "  server {\n"
       << listeners(port_, "") << (options.https ? listeners(https_port_, " ssl") : "");
  if (options.https) {
    conf << "    ssl_certificate " << cert_path_ << ";\n    ssl_certificate_key " << d << "/key.pem;\n";
  }
  conf << "    server_name localhost;\n    root " << root_ << ";\n" << options.server_config << "\n  }\n}\n";
  conf.close();
  if (!conf) return fail("cannot write " + conf_path);

  auto pid = spawn({kNginx, "-p", d + "/", "-c", conf_path, "-e", d + "/logs/error.log"}, d + "/logs/stderr.log");
  if (!pid) return std::unexpected(pid.error());
  pid_ = *pid;

  auto ready = wait_until_ready(
      pid_, "nginx", [&] { return accepts(port_) && (https_port_ == 0 || accepts(https_port_)); },
      [&] { return read_file(d + "/logs/stderr.log") + error_log(); });
  if (!ready) stop();
  return ready;
}

NginxServer::~NginxServer() {
  stop();
  std::error_code ignored;
  if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

// SIGTERM is nginx's fast shutdown: it does not wait for open connections.
void NginxServer::stop() { stop_child(pid_); }

std::string NginxServer::url(const std::string& path, const std::string& host) const {
  return "http://" + host + ":" + std::to_string(port_) + path;
}

std::string NginxServer::https_url(const std::string& path, const std::string& host) const {
  return "https://" + host + ":" + std::to_string(https_port_) + path;
}

void NginxServer::write_file(const std::string& relative_path, const std::string& content) const {
  fs::path path = fs::path(root_) / relative_path;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string NginxServer::error_log() const { return read_file(dir_ + "/logs/error.log"); }

void start_site(std::unique_ptr<NginxServer>& nginx, const std::map<std::string, std::string>& files) {
  auto started = NginxServer::start({});
  ASSERT_TRUE(started) << started.error().message;
  nginx = std::move(*started);
  for (const auto& [path, content] : files) nginx->write_file(path, content);
}

}  // namespace netwarden::test
