#include "probes/attachments/child_outcome.h"

#include <signal.h>
#include <sys/wait.h>

#include "probes/attachments/extract_frame.h"

namespace netwarden::attachment_detail {
namespace {

std::chrono::microseconds cpu_used(const rusage& usage) {
  const auto seconds = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string cpu_message(const ExtractLimits& limits) {
  return "took more than " + std::to_string(limits.cpu.count()) + " s of CPU";
}

Result<ExtractedText> judge_signal(int signo, const ChildEnd& end, const ExtractLimits& limits) {
  if (signo == SIGXCPU) return fail(cpu_message(limits));
  // The hard CPU limit (a second after SIGXCPU, if that was caught) kills.
  if (signo == SIGKILL && cpu_used(end.usage) >= limits.cpu) return fail(cpu_message(limits));
  if (signo == SIGSYS) return fail("stopped by the sandbox (a forbidden system call)");
  return fail("parser crashed (signal " + std::to_string(signo) + ")");
}

}  // namespace

Result<ExtractedText> judge_child(const ChildEnd& end, std::string_view answer, const ExtractLimits& limits) {
  if (end.timed_out) return fail("gave no answer within " + std::to_string(limits.wall.count()) + " s");
  if (end.overlong) return fail("gave a garbled answer (more text than allowed)");
  if (WIFSIGNALED(end.status)) return judge_signal(WTERMSIG(end.status), end, limits);
  const int code = WIFEXITED(end.status) ? WEXITSTATUS(end.status) : -1;
  if (code == kExitNoMemory) return fail("needed more than " + std::to_string(limits.memory >> 20) + " MiB");
  std::optional<Result<ExtractedText>> decoded = decode_frame(answer);
  if (decoded) return std::move(*decoded);
  if (code != 0) return fail("parser failed (exit status " + std::to_string(code) + ")");
  return fail("gave a garbled answer");
}

}  // namespace netwarden::attachment_detail
