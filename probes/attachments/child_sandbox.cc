// The seccomp filter is a deny-list, not an allow-list: the parsers
// (poppler, libxml2, libzip, FreeXL, glibc's allocator, and the sanitizers
// in a test build) make system calls that change with their versions, and
// an allow-list would stop a correct parse after a Debian update. What a
// taken-over parser needs to do harm is denied instead, the process killed
// (SIGSYS) when it tries: the network (any socket), new programs and
// processes, writing, creating or removing files, signalling or tracing
// another process, namespaces and mounts, raising its limits, and system
// calls of another architecture (libseccomp's default). Reading files
// stays allowed: poppler reads its CMaps (/usr/share/poppler) to map CJK
// fonts to text, and FreeXL opens its input by name.
#include "probes/attachments/child_sandbox.h"

#include <fcntl.h>
#include <seccomp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace netwarden {
namespace {

constexpr std::array kDenied{
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "execve",
    "execveat",
    "fork",
    "vfork",
    "clone",
    "clone3",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kill",
    "tkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_by_handle_at",
    "name_to_handle_at",
    "creat",
    "truncate",
    "ftruncate",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "mknod",
    "mknodat",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "lchown",
    "fchownat",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "setrlimit",
    "prlimit64",
    "personality",
    "memfd_create",
};

// The child has one thread, so killing the thread (SECCOMP_RET_KILL_THREAD)
// ends the process with SIGSYS. SCMP_ACT_KILL_PROCESS would say so more
// plainly, but libseccomp finds it only through the seccomp(2) system call,
// which netwardend.service's SystemCallFilter=@system-service denies: the
// filter then goes in through prctl(2), which knows only this action.
constexpr std::uint32_t kKill = SCMP_ACT_KILL;

// Opening for anything but reading: each flag a rule of its own, since a
// rule's conditions must all hold.
constexpr std::array kWriteFlags{O_WRONLY, O_RDWR, O_CREAT, O_TRUNC};

Result<void> set_limit(int resource, rlim_t soft, rlim_t hard, const char* name) {
  const rlimit limit{soft, hard};
  if (::setrlimit(resource, &limit) != 0) return fail(std::string("cannot set ") + name + ": " + std::strerror(errno));
  return {};
}

Result<void> set_limits(const ChildLimits& limits) {
  const auto cpu = static_cast<rlim_t>(limits.cpu.count());
  for (const Result<void>& set : {
         set_limit(RLIMIT_CPU, cpu, cpu + 1, "RLIMIT_CPU"), set_limit(RLIMIT_FSIZE, 0, 0, "RLIMIT_FSIZE"),
             set_limit(RLIMIT_NOFILE, 16, 16, "RLIMIT_NOFILE"), set_limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE"),
#if !defined(__SANITIZE_ADDRESS__)
             // AddressSanitizer reserves terabytes of shadow address space: a
             // sanitizer build has no memory limit.
             set_limit(RLIMIT_AS, limits.memory, limits.memory, "RLIMIT_AS"),
#endif
       }) {
    if (!set) return set;
  }
  return {};
}

// Kills on `number` when `condition` (if any) holds of its arguments.
int deny(scmp_filter_ctx filter, int number, const scmp_arg_cmp* condition = nullptr) {
  return seccomp_rule_add_array(filter, kKill, number, condition == nullptr ? 0 : 1, condition);
}

Result<void> add_rules(scmp_filter_ctx filter) {
  int rc = 0;
  for (const char* name : kDenied) {
    const int number = seccomp_syscall_resolve_name(name);
    // Not a system call on this architecture: nothing to deny.
    if (rc == 0 && number != __NR_SCMP_ERROR && number >= 0) rc = deny(filter, number);
  }
  for (const int flag : kWriteFlags) {
    const auto bit = static_cast<scmp_datum_t>(flag);
    const scmp_arg_cmp openat_flags{2, SCMP_CMP_MASKED_EQ, bit, bit};
    const scmp_arg_cmp open_flags{1, SCMP_CMP_MASKED_EQ, bit, bit};
    if (rc == 0) rc = deny(filter, SCMP_SYS(openat), &openat_flags);
    if (rc == 0) rc = deny(filter, SCMP_SYS(open), &open_flags);
  }
  // abort() signals its own process: tgkill to any other is denied.
  const scmp_arg_cmp other_process{0, SCMP_CMP_NE, static_cast<scmp_datum_t>(::getpid()), 0};
  if (rc == 0) rc = deny(filter, SCMP_SYS(tgkill), &other_process);
  if (rc != 0) return fail(std::string("cannot build the seccomp filter: ") + std::strerror(-rc));
  return {};
}

Result<void> load_filter() {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
  if (filter == nullptr) return fail("cannot start a seccomp filter");
  Result<void> added = add_rules(filter);
  int rc = 0;
  if (added) rc = seccomp_load(filter);  // sets no_new_privs first
  seccomp_release(filter);
  if (!added) return added;
  if (rc != 0) return fail(std::string("cannot load the seccomp filter: ") + std::strerror(-rc));
  return {};
}

}  // namespace

Result<void> enter_sandbox(const ChildLimits& limits) {
  if (Result<void> set = set_limits(limits); !set) return set;
  return load_filter();
}

}  // namespace netwarden
