#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: once in a normal build
# (build/) and once under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/). Run as root: tests start nginx and use network namespaces.
#   scripts/test.sh            both builds
#   scripts/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ "${1:-}" != "--quick" ]]; then
  BUILD_DIR=build-asan bash scripts/build.sh -DNETWARDEN_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi
