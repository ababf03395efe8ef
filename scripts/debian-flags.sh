# shellcheck shell=bash disable=SC2034  # debian_flags is for the scripts that source this
# Sourced by scripts/build.sh and scripts/package.sh: the cmake arguments
# that build with Debian's own compiler and linker flags (-O2 -g, stack
# protector, fortified libc calls, RELRO), as a package built by Debian's
# tools gets them, plus bindnow (-z now: all symbols resolved at start, so
# RELRO covers the whole GOT), which Debian's defaults leave out. The tests
# and the package share these flags, so the package holds the very objects
# the tests ran (cpack strips the debug information). Installed under /usr,
# as a Debian package is.
export DEB_BUILD_MAINT_OPTIONS=hardening=+bindnow
debian_cppflags=$(dpkg-buildflags --get CPPFLAGS)
debian_flags=(
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DCMAKE_INSTALL_PREFIX=/usr
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(dpkg-buildflags --get CFLAGS) $debian_cppflags -DNDEBUG"
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(dpkg-buildflags --get CXXFLAGS) $debian_cppflags -DNDEBUG"
  -DCMAKE_EXE_LINKER_FLAGS_RELWITHDEBINFO="$(dpkg-buildflags --get LDFLAGS)"
)
