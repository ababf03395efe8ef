#!/usr/bin/env bash
# Builds the Debian package: installs what the build needs (scripts/setup.sh
# --build, so run as root on a fresh machine), builds with Debian's flags
# (scripts/debian-flags.sh) in build-package/, without tests, then cpack.
# With $BUILD_DIR set, packages that build directory instead (the test
# script packages build/, whose objects the tests have just run), building
# only what is out of date. Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build
source scripts/debian-flags.sh
if [[ -n ${BUILD_DIR:-} ]]; then
  build_dir=$BUILD_DIR
  cmake -S . -B "$build_dir" "${debian_flags[@]}" >/dev/null
else
  build_dir=build-package
  cmake -S . -B "$build_dir" "${debian_flags[@]}" -DNETWARDEN_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" -j"$(nproc)"
rm -f "$build_dir"/netwarden_*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
ls "$PWD/$build_dir"/netwarden_*.deb
