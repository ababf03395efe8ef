#!/usr/bin/env bash
# The files in systemd/ as systemd itself reads them: the unit passes
# `systemd-analyze verify` without a word and `systemd-analyze security`
# rates its exposure 2.5 or lower; sysusers.d and tmpfiles.d create the user
# and the directories the unit expects. No systemd as PID 1 is needed.
#
# Usage: systemd_unit_test.sh SOURCE_DIR NETWARDEND_BINARY
set -uo pipefail

source_dir=$1
netwardend=$2
unit=$source_dir/systemd/netwardend.service
max_exposure=2.5
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for tool in systemd-analyze systemd-sysusers systemd-tmpfiles; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool not found: install the Debian package systemd (scripts/setup.sh)" >&2
    exit 1
  fi
done
[[ -x $netwardend ]] || { echo "FAIL: $netwardend is not built" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# verify checks that every Exec*= program exists, and /usr/bin/netwardend is
# only there once installed (/usr/sbin/netwardend): a copy of the unit runs the built one instead.
# --man=no: the manual pages are installed by the package, not the tree.
sed -E "s#/usr/s?bin/netwardend#$netwardend#g" "$unit" >"$work/netwardend.service"
verify_output=$(systemd-analyze verify --man=no "$work/netwardend.service" 2>&1)
verify_rc=$?
if ((verify_rc != 0)) || [[ -n $verify_output ]]; then
  fail "systemd-analyze verify (exit $verify_rc):"$'\n'"$verify_output"
fi

# The sendmail drop-in as the example tells administrators to install it.
mkdir "$work/netwardend.service.d"
cp "$source_dir/systemd/sendmail-transport.conf.example" "$work/netwardend.service.d/sendmail.conf"
verify_output=$(systemd-analyze verify --man=no "$work/netwardend.service" 2>&1)
verify_rc=$?
if ((verify_rc != 0)) || [[ -n $verify_output ]]; then
  fail "systemd-analyze verify with sendmail-transport.conf.example (exit $verify_rc):"$'\n'"$verify_output"
fi

security_output=$(systemd-analyze security --offline=yes "$unit" 2>&1)
exposure=$(sed -n 's/^.*Overall exposure level for netwardend.service: \([0-9.]*\).*$/\1/p' <<<"$security_output")
if [[ -z $exposure ]]; then
  fail "no 'Overall exposure level' line from systemd-analyze security:"$'\n'"$security_output"
elif awk -v e="$exposure" -v max="$max_exposure" 'BEGIN { exit !(e > max) }'; then
  fail "exposure $exposure is above $max_exposure:"$'\n'"$(grep '✗' <<<"$security_output")"
else
  echo "systemd-analyze security --offline=yes: exposure $exposure (at most $max_exposure)"
fi

# What the daemon cannot do without, whatever the score says: notify and
# watchdog, capture (CAP_NET_RAW in the initial user namespace, so no
# PrivateUsers=), and every address family it opens.
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30s' 'User=netwarden' 'StateDirectory=netwarden' \
  'RuntimeDirectory=netwarden' 'AmbientCapabilities=CAP_NET_RAW' 'CapabilityBoundingSet=CAP_NET_RAW' \
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$line" "$unit" || fail "$unit lacks the line: $line"
done
grep -q '^PrivateUsers=' "$unit" && fail "$unit sets PrivateUsers=: packet capture would lose CAP_NET_RAW"

# sysusers.d and tmpfiles.d applied to an empty root.
root=$work/root
mkdir -p "$root/etc"
sysusers_output=$(systemd-sysusers --root="$root" "$source_dir/systemd/netwarden.sysusers" 2>&1) ||
  fail "systemd-sysusers:"$'\n'"$sysusers_output"
IFS=: read -r name _ uid gid _ home shell < <(grep '^netwarden:' "$root/etc/passwd")
[[ ${name:-} == netwarden && ${home:-} == /var/lib/netwarden && ${shell:-} == /usr/sbin/nologin ]] ||
  fail "no user netwarden with home /var/lib/netwarden and shell /usr/sbin/nologin:"$'\n'"$(cat "$root/etc/passwd")"
((${uid:-0} > 0 && ${uid:-0} < 1000)) || fail "netwarden is not a system user (uid ${uid:-none})"
grep -q "^netwarden:x:${gid:-none}:" "$root/etc/group" || fail "no group netwarden with gid ${gid:-none}"

tmpfiles_output=$(systemd-tmpfiles --root="$root" --create "$source_dir/systemd/netwarden.tmpfiles" 2>&1) ||
  fail "systemd-tmpfiles:"$'\n'"$tmpfiles_output"
for dir in /var/lib/netwarden /run/netwarden; do
  found=$(stat -c '%a %u:%g' "$root$dir" 2>&1)
  [[ $found == "750 ${uid:-}:${gid:-}" ]] || fail "$dir: expected mode 750 owned by netwarden, found: $found"
done

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "systemd unit, sysusers.d and tmpfiles.d: all checks passed"
