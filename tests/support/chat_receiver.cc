#include "tests/support/chat_receiver.h"

#include <boost/json/parse.hpp>
#include <filesystem>
#include <sstream>

#include "tests/support/child_process.h"
#include "tests/support/spawn.h"

namespace netwarden::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string script(const std::string& name) {
  const char* source_dir = std::getenv("NETWARDEN_SOURCE_DIR");
  return std::string(source_dir ? source_dir : ".") + "/tests/support/" + name;
}

}  // namespace

Result<void> LoopbackScript::launch(const std::string& name, std::vector<std::string> args) {
  std::string pattern = (fs::temp_directory_path() / "netwarden-receiver-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return fail("cannot create a temp dir for " + name);
  dir_ = pattern;
  const std::string port_file = dir_ + "/port";
  std::vector<std::string> argv = {kPython, script(name), "--port-file", port_file, "--log", dir_ + "/log.jsonl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto pid = spawn(argv, dir_ + "/output.log");
  if (!pid) return std::unexpected(pid.error());
  pid_ = *pid;
  // The script writes the file whole (renamed into place) once it listens.
  auto ready = wait_until_ready(
      pid_, name, [&] { return fs::exists(port_file); }, [&] { return output(); });
  if (!ready) return ready;
  port_ = std::stoi(read_file(port_file));
  return {};
}

LoopbackScript::~LoopbackScript() {
  stop_child(pid_);
  std::error_code ignored;
  if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

boost::json::array LoopbackScript::log_lines() const {
  boost::json::array out;
  std::istringstream lines(read_file(dir_ + "/log.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(boost::json::parse(line));
  }
  return out;
}

std::string LoopbackScript::output() const { return read_file(dir_ + "/output.log"); }

Result<std::unique_ptr<ChatReceiver>> ChatReceiver::start(const ChatReceiverOptions& o, const TestCertificate& cert) {
  std::unique_ptr<ChatReceiver> receiver(new ChatReceiver());
  receiver->ca_file_ = cert.cert_path;
  std::vector<std::string> args = {"--cert", cert.cert_path, "--key", cert.key_path};
  for (const auto& [flag, value] : {std::pair{"--wecom-key", o.wecom_key},
                                    {"--dingtalk-token", o.dingtalk_token},
                                    {"--dingtalk-secret", o.dingtalk_secret},
                                    {"--feishu-token", o.feishu_token},
                                    {"--feishu-secret", o.feishu_secret},
                                    {"--webhook-secret", o.webhook_secret},
                                    {"--rate", o.rate},
                                    {"--aliyun-key-id", o.aliyun_key_id},
                                    {"--aliyun-secret", o.aliyun_secret},
                                    {"--aliyun-sign-name", o.aliyun_sign_name},
                                    {"--aliyun-template", o.aliyun_template},
                                    {"--aliyun-template-vars", o.aliyun_template_vars},
                                    {"--tencent-secret-id", o.tencent_secret_id},
                                    {"--tencent-secret-key", o.tencent_secret_key},
                                    {"--tencent-app-id", o.tencent_app_id},
                                    {"--tencent-sign-name", o.tencent_sign_name},
                                    {"--tencent-template", o.tencent_template},
                                    {"--tencent-template-vars", o.tencent_template_vars},
                                    {"--tencent-number-rate", o.tencent_number_rate}}) {
    if (!value.empty()) args.insert(args.end(), {flag, value});
  }
  if (auto launched = receiver->launch("chat_receiver.py", args); !launched) return std::unexpected(launched.error());
  return receiver;
}

std::string ChatReceiver::url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(port()) + path;
}

std::vector<boost::json::object> ChatReceiver::requests(const std::string& provider) const {
  std::vector<boost::json::object> out;
  for (const auto& line : log_lines()) {
    if (line.is_object() && line.as_object().at("provider") == provider.c_str()) out.push_back(line.as_object());
  }
  return out;
}

bool ChatReceiver::control(const std::string& what) const {
  const Finished f = run_program(
      {"/usr/bin/curl", "-sS", "-f", "--cacert", ca_file_, "-X", "POST", "--data", "", url("/_control/" + what)});
  return f.exit_code == 0;
}

Result<std::unique_ptr<ConnectProxy>> ConnectProxy::start() {
  std::unique_ptr<ConnectProxy> proxy(new ConnectProxy());
  if (auto launched = proxy->launch("http_connect_proxy.py", {}); !launched) return std::unexpected(launched.error());
  return proxy;
}

std::string ConnectProxy::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

}  // namespace netwarden::test
