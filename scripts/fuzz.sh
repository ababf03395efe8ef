#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 16, ASan+UBSan, into build-fuzz/) if
# needed and runs one of them for SECONDS on its committed corpus. New
# inputs go to a scratch directory, never into fuzz/corpus/; crashing,
# timing-out and out-of-memory inputs are kept in SCRATCH/crashes/. The run
# carries on past a crash (one libFuzzer child process at a time), so the
# summary counts all of them.
#   scripts/fuzz.sh TARGET SECONDS [SCRATCH]
# TARGET: config_loader, control_request, content_analyzer, dns_message,
# packet_decoder, mail_templates. SCRATCH defaults to /tmp/netwarden-fuzz/TARGET.
# Reproduce one input: build-fuzz/fuzz/TARGET_fuzz FILE
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# < 2)); then
  echo "usage: scripts/fuzz.sh TARGET SECONDS [SCRATCH]" >&2
  exit 2
fi
target=$1 seconds=$2
scratch=${3:-/tmp/netwarden-fuzz/$target}
corpus=fuzz/corpus/$target
if [[ ! -d $corpus ]]; then
  echo "fuzz.sh: no corpus $corpus; targets: $(ls fuzz/corpus | tr '\n' ' ')" >&2
  exit 2
fi

# clang 16 with libFuzzer and the sanitizer runtimes (clang 14 cannot compile
# libstdc++ 12's std::expected).
bash scripts/setup.sh clang-16 libclang-rt-16-dev
CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETWARDEN_FUZZ=ON >/dev/null
cmake --build build-fuzz -j2 --target "${target}_fuzz"

mkdir -p "$scratch/new" "$scratch/crashes"
log=$scratch/fuzz.log
echo "fuzz.sh: running $target for ${seconds}s; new inputs in $scratch/new, log $log"
# Leak checks off: the targets keep static analysers alive on purpose, and
# a leak is not what these runs look for.
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "build-fuzz/fuzz/${target}_fuzz" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$scratch/crashes/" "$scratch/new" "$corpus" >"$log" 2>&1 || true

# The last status line: "#EXECS: cov: N ft: N corp: N exec/s N oom/timeout/crash: a/b/c time: Ns ..."
last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 || true)
echo "fuzz.sh: $target: ${last:-no status line, see $log}"
found=$(find "$scratch/crashes" -type f | sort)
echo "fuzz.sh: $target: $(printf '%s' "$found" | grep -c . || true) crashing/timeout/oom inputs in $scratch/crashes"
[[ -z $found ]] || printf '  %s\n' $found
