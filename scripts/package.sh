#!/usr/bin/env bash
# Builds the Debian package: installs what the build needs (scripts/setup.sh
# --build, so run as root on a fresh machine), a Release build in build-package/ (or
# the directory in $BUILD_DIR), without tests, then cpack. Prints the path of
# the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build
build_dir=${BUILD_DIR:-build-package}
# Debian's own compiler and linker flags (-O2, stack protector, fortified
# libc calls, RELRO), as a package built by Debian's tools gets them.
# Also bindnow (-z now: all symbols resolved at start, so RELRO covers the
# whole GOT), which Debian's defaults leave out.
export DEB_BUILD_MAINT_OPTIONS=hardening=+bindnow
cppflags=$(dpkg-buildflags --get CPPFLAGS)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DNETWARDEN_BUILD_TESTS=OFF \
  -DCMAKE_C_FLAGS_RELEASE="$(dpkg-buildflags --get CFLAGS) $cppflags -DNDEBUG" \
  -DCMAKE_CXX_FLAGS_RELEASE="$(dpkg-buildflags --get CXXFLAGS) $cppflags -DNDEBUG" \
  -DCMAKE_EXE_LINKER_FLAGS_RELEASE="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
rm -f "$build_dir"/netwarden_*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
ls "$PWD/$build_dir"/netwarden_*.deb
