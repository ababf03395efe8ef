// A stand-in for netwarden-extract that misbehaves as its input says, under
// the same limits and seccomp filter (child_sandbox.h), so that
// attachment_sandbox_test can show how the daemon names each way a parser
// can go wrong. Same arguments as netwarden-extract: KIND CPU_SECONDS
// MEMORY_BYTES MAX_TEXT; the input is one word:
//   spin      loops until the CPU limit
//   crash     dies of SIGABRT (not SIGSEGV: AddressSanitizer would catch
//             that and exit 1 in a sanitizer build)
//   socket    opens a socket (the filter kills it)
//   write     opens a file for writing (the filter kills it)
//   exec      runs /bin/true (the filter kills it)
//   linger    answers nothing for 60 s
//   garbage   answers something that is not a frame
//   flood     writes text without end
//   service   opens a socket with seccomp(2) denied from its start, as
//             under netwardend.service's SystemCallFilter (it runs itself
//             again under that filter, so that libseccomp looks for
//             seccomp(2) there, as netwarden-extract does)
#include <fcntl.h>
#include <seccomp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

#include "probes/attachments/child_sandbox.h"

namespace {

void write_forever() {
  const std::string line(4096, 'x');
  for (;;) {
    if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) return;
  }
}

void misbehave(const std::string& how) {
  if (how == "spin") {
    volatile unsigned long turns = 0;
    for (;;) turns = turns + 1;
  }
  if (how == "crash") std::abort();
  if (how == "socket") ::socket(AF_INET, SOCK_STREAM, 0);
  if (how == "write") ::open("/tmp/netwarden-sandbox-escape", O_WRONLY | O_CREAT, 0600);
  if (how == "exec") ::execl("/bin/true", "true", nullptr);
  if (how == "linger") std::this_thread::sleep_for(std::chrono::seconds(60));
  if (how == "garbage") std::cout << "Syntax Warning: something\n" << std::flush;
  if (how == "flood") write_forever();
}

}  // namespace

// systemd's SystemCallFilter=@system-service leaves seccomp(2) out
// (SystemCallErrorNumber=EPERM): the sandbox must load without it.
bool deny_seccomp_syscall() {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
  const bool loaded = filter != nullptr && seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(seccomp), 0) == 0 &&
                      seccomp_load(filter) == 0;
  seccomp_release(filter);
  return loaded;
}

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  netwarden::ChildLimits limits;
  limits.cpu = std::chrono::seconds(std::stol(argv[2]));
  limits.memory = std::stoull(argv[3]);
  std::string how;
  std::getline(std::cin, how);
  if (how == "service") {
    if (!deny_seccomp_syscall()) return 3;
    argv[1] = const_cast<char*>("service-filtered");
    ::execv("/proc/self/exe", argv);
    return 3;
  }
  if (std::string_view(argv[1]) == "service-filtered") how = "socket";
  if (!netwarden::enter_sandbox(limits)) return 4;
  misbehave(how);
  // "garbage": an exit like a real answer's, with no frame; no exit
  // handlers, as netwarden-extract runs none once sandboxed.
  _exit(0);
}
