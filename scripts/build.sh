#!/usr/bin/env bash
# Configures and builds netwarden into build/ (or the directory in $BUILD_DIR)
# with Debian's flags (scripts/debian-flags.sh), the package's own.
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/debian-flags.sh
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" "${debian_flags[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
