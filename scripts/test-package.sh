#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh; from the build directory in
# $BUILD_DIR when set), installs it on this machine with
# dpkg -i, checks what an administrator would first touch, and removes it.
# Run as root; safe to re-run, also where the package is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(bash scripts/package.sh | tail -n 1)
echo "test-package: $deb"
dpkg-deb --field "$deb"

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }

# Debian policy, as lintian checks it: not one error or warning. The one tag
# that does not apply is overridden, with its reason, in
# packaging/deb/lintian-overrides.
lintian --fail-on error,warning "$deb" || fail "lintian reports errors or warnings"

# A leftover from an earlier run whose removal failed is taken away first,
# so each run installs from scratch.
if dpkg-query -W -f='${Status}' netwarden 2>/dev/null | grep -q installed; then dpkg -r netwarden >/dev/null; fi

dpkg -i "$deb"
dpkg-query -W -f='${Status}\n' netwarden | grep -qx "install ok installed" || fail "dpkg did not install it"

# As the user the unit runs it as: the installed files must be readable to it.
runuser -u netwarden -- /usr/sbin/netwardend --check-config --config /etc/netwarden/netwarden.toml
/usr/bin/netwardenctl --help >/dev/null || fail "netwardenctl --help"
getent passwd netwarden >/dev/null || fail "no user netwarden after install"
getent group netwarden >/dev/null || fail "no group netwarden after install"
for dir in /var/lib/netwarden /run/netwarden; do
  [[ $(stat -c %U "$dir") == netwarden ]] || fail "$dir is not owned by netwarden"
done
for page in man1/netwardenctl.1.gz man5/netwarden.toml.5.gz man8/netwardend.8.gz; do
  [[ -s /usr/share/man/$page ]] || fail "missing /usr/share/man/$page"
done
for file in /usr/lib/systemd/system/netwardend.service /usr/lib/sysusers.d/netwarden.conf \
            /usr/lib/tmpfiles.d/netwarden.conf /usr/share/netwarden/mail/body.en.txt \
            /usr/share/doc/netwarden/examples/netwarden.example.toml \
            /usr/share/doc/netwarden/sendmail-transport.conf.example /usr/share/doc/netwarden/copyright \
            /usr/share/doc/netwarden/changelog.Debian.gz /usr/share/bash-completion/completions/netwardenctl \
            /usr/share/bash-completion/completions/netwardend; do
  [[ -s $file ]] || fail "missing $file"
done
# The unit must start the binary the package installed.
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' /usr/lib/systemd/system/netwardend.service)
[[ $exec_start == /usr/sbin/netwardend ]] || fail "the unit starts '$exec_start', not /usr/sbin/netwardend"
# The example's paths are the unit's.
grep -qx 'state_dir = "/var/lib/netwarden".*' /etc/netwarden/netwarden.toml || fail "state_dir is not /var/lib/netwarden"
grep -qx 'socket = "/run/netwarden/netwarden.sock".*' /etc/netwarden/netwarden.toml || fail "socket is not in /run/netwarden"
# The ledger key: made on install, root's only, 64 hex digits.
[[ $(stat -c '%a %U %G' /etc/netwarden/ledger.key) == "600 root root" ]] || fail "ledger.key is not 0600 root:root"
grep -Eqx '[0-9a-f]{64}' /etc/netwarden/ledger.key || fail "ledger.key is not 64 hex digits"
grep -qx 'LoadCredential=ledger-key:/etc/netwarden/ledger.key' /usr/lib/systemd/system/netwardend.service ||
  fail "the unit does not load the ledger key"
diff <(sort /var/lib/dpkg/info/netwarden.conffiles) <(printf '%s\n' /etc/netwarden/harmful_keywords.txt \
  /etc/netwarden/netwarden.toml) || fail "conffiles differ"

# The campus scenario (tests/e2e) once more, run by the installed daemon
# and netwardenctl rather than the build's.
[[ -x build/tests/campus_test ]] || fail "build/tests/campus_test is missing: run scripts/build.sh first"
NETWARDEN_DAEMON=/usr/sbin/netwardend NETWARDEN_CTL=/usr/bin/netwardenctl \
  ctest --test-dir build -R '^campus_test$' --output-on-failure

dpkg -r netwarden
dpkg-query -W -f='${Status}\n' netwarden 2>/dev/null | grep -q "install ok installed" && fail "still installed"
[[ ! -e /usr/sbin/netwardend ]] || fail "/usr/sbin/netwardend left behind"
# Purging takes the configuration too, and keeps the state: it is evidence.
dpkg --purge netwarden
[[ ! -e /etc/netwarden/netwarden.toml ]] || fail "/etc/netwarden/netwarden.toml left behind by purge"
[[ -d /var/lib/netwarden ]] || fail "purge removed /var/lib/netwarden"
[[ -s /etc/netwarden/ledger.key ]] || fail "purge removed the ledger key the kept database needs"
echo "test-package: ok"
