#!/usr/bin/env bash
# Sets up, runs the project's own checks (scripts/lint.sh: formatting,
# dependency rules, clang-tidy on what changed), builds and runs the whole
# test suite: once in a normal build (build/), then the Debian package (built, installed with dpkg -i, the
# campus scenario run by the installed daemon, removed), then once more
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), all but
# the fault suite (label "fault": full disks, injected I/O errors, kill -9),
# which tests the daemon's behaviour, not its memory, and the corpus checks
# (label "corpus": the scanner against html5lib on hundreds of real pages,
# and what the detectors conclude on each page of tests/content_corpus),
# which the sanitizers do not change, and the whole-site crawl tests
# (label "crawl": a daemon crawling a generated site of hundreds of
# pages): those run once.
# Run as root: tests start nginx, use network namespaces, install the package.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Formatting, the dependency rules and clang-tidy on what changed: before
# any build, so a style problem fails in seconds.
bash scripts/lint.sh

jobs=$(nproc)
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ "${1:-}" != "--quick" ]]; then
  # The package of the objects just tested: only cpack's work.
  BUILD_DIR=build bash scripts/test-package.sh
  BUILD_DIR=build-asan bash scripts/build.sh -DNETWARDEN_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'fault|corpus|crawl'
fi
