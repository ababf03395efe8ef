// NginxServer: a real nginx (/usr/sbin/nginx) on loopback for tests.
//
// Each instance runs its own nginx in the foreground with everything (config,
// logs, temp files, pid file, document root, certificate) in a fresh temp
// directory, on a free port, listening on 127.0.0.1 and [::1]. The caller
// supplies the inside of the `server {}` block and writes the files to serve.
// With `https`, a second port serves the same block over TLS with a fresh
// self-signed certificate for localhost and 127.0.0.1 (not ::1).
//
//   auto nginx = NginxServer::start({.server_config = "location = /old { return 301 /new; }"});
//   ASSERT_TRUE(nginx) << nginx.error().message;
//   (*nginx)->write_file("new", "<html>...</html>");
//   fetch((*nginx)->url("/old"));
//
// start() returns when the port accepts connections; the destructor stops
// nginx and removes the directory. Not thread-safe; one thread owns it.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace netwarden::test {

struct NginxOptions {
  std::string server_config;  // directives placed inside server {}, after listen/root
  std::string http_config{};  // directives placed inside http {}, before server {} (map, ...)
  bool https = false;         // also serve over TLS on https_port()
};

class NginxServer {
 public:
  static Result<std::unique_ptr<NginxServer>> start(const NginxOptions& options);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  int port() const { return port_; }
  int https_port() const { return https_port_; }  // 0 without https
  // "http://127.0.0.1:PORT/path"; host may be "localhost" or "[::1]".
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const;
  // "https://localhost:PORT/path"
  std::string https_url(const std::string& path, const std::string& host = "localhost") const;

  const std::string& root() const { return root_; }            // document root
  const std::string& cert_path() const { return cert_path_; }  // PEM, usable as a CA file
  // Writes root()/relative_path, creating directories.
  void write_file(const std::string& relative_path, const std::string& content) const;
  std::string error_log() const;  // for failure messages

 private:
  NginxServer() = default;
  Result<void> launch(const NginxOptions& options);
  void stop();

  std::string dir_;
  std::string root_;
  std::string cert_path_;
  int port_ = 0;
  int https_port_ = 0;
  pid_t pid_ = -1;
};

// A plain nginx (no options) into `nginx`, serving `files` (path under the
// root → content); a gtest failure when it does not start (call it inside
// ASSERT_NO_FATAL_FAILURE).
void start_site(std::unique_ptr<NginxServer>& nginx, const std::map<std::string, std::string>& files);

}  // namespace netwarden::test
