#!/usr/bin/env bash
# Installs the Debian 12 packages netwarden needs. Idempotent; run as root.
# Only Debian's archive is needed.
#   scripts/setup.sh [PACKAGE...]          the build, the daemon, lint and tests
#   scripts/setup.sh --build [PACKAGE...]  only what building the daemon and
#                                          its package needs (scripts/package.sh
#                                          on a server: no web or mail server)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libpcap-dev libsqlite3-dev libspdlog-dev libtomlplusplus-dev
  libcli11-dev libxml2-dev libpcre2-dev libcurl4-openssl-dev libsystemd-dev
  # zlib: bodies sent gzip- or deflate-compressed although identity was asked
  zlib1g-dev
  # keyword matching: ICU (NFKC, case folding, look-alike skeletons), Hyperscan
  # (matching), opencc for opencc_dict and its TSCharacters dictionary, compiled
  # in (not needed at run time)
  libicu-dev libhyperscan-dev opencc
  # attachments' text (probes/attachments): PDF (poppler, and poppler-data's CMaps,
  # without which a Chinese PDF's text reads as nothing), DOCX/XLSX/PPTX (libzip;
  # libxml2 above), XLS (FreeXL), and the extracting child's seccomp filter
  libpoppler-cpp-dev poppler-data libzip-dev libfreexl-dev libseccomp-dev
  # file: CPack's dependency scan
  file
)
if [[ "${1:-}" == "--build" ]]; then
  shift
else
  packages+=(
    libgtest-dev libgmock-dev libbenchmark-dev
    # lint (scripts/lint.sh): pinned to 16, the version .clang-format was applied with
    clang-format-16 clang-tidy-16
    # tests: real peers on loopback
    nginx-light python3 python3-aiosmtpd python3-scapy tcpdump sqlite3 iproute2 openssl
    # the HTML5 agreement check (tests/html5_agreement.py): an independent parser, and
    # real pages to run it on (Debian Reference in English and Chinese, the Chinese FAQ and
    # Maintainers' Guide, the Policy, the Developer's Reference; lintian's manual comes with lintian)
    python3-html5lib debian-reference-en debian-reference-zh-cn debian-faq-zh-cn maint-guide-zh-cn
    debian-policy developers-reference
    # the package test: systemd-analyze (unit checks), systemd-sysusers and -tmpfiles
    # (install), groff-base (man page lint), ca-certificates (a dependency), lintian
    # (the .deb against Debian policy)
    systemd groff-base ca-certificates lintian
    # tests: real minified scripts the obfuscation check must pass (script_literals_test)
    libjs-jquery libjs-underscore
    # tests: leaked attachments written as sites write them (tests/support/make_attachments.py)
    python3-openpyxl python3-docx python3-reportlab python3-xlwt
  )
fi

# A script that needs more names it (scripts/fuzz.sh: clang 16), so the
# test command does not install what only fuzzing uses.
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing packages (run as root to install): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/netwarden-apt.log 2>&1 \
    || { cat /tmp/netwarden-apt.log >&2; exit 1; }
fi
