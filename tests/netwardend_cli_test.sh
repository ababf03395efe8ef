#!/usr/bin/env bash
# netwardend's command line: every usage error exits 2, as netwardenctl's
# do (netwardend(8), EXIT STATUS), and --help names what each option takes.
#
# Usage: netwardend_cli_test.sh NETWARDEND_BINARY
set -uo pipefail

netwardend=$1
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

expect_exit() {  # expect_exit CODE ARGS...
  local want=$1
  shift
  "$netwardend" "$@" >/dev/null 2>&1
  local got=$?
  [[ $got == "$want" ]] || fail "netwardend $* exited $got, expected $want"
}

expect_exit 2 --colour
expect_exit 2 --simulate
expect_exit 2 --simulate portal --kind isolation_breach
expect_exit 2 --config
expect_exit 2 stray-argument
expect_exit 2 --anchors /dev/null
expect_exit 0 --help
expect_exit 0 --version

help=$("$netwardend" --help)
for shown in "--config FILE" "--socket PATH" "--state-dir DIR" "--simulate TARGET" "--kind KIND" "--replay CAPTURE" \
             "--ledger-key FILE" "--verify-ledger DB" "--anchors FILE|DIR"; do
  grep -qF -- "$shown" <<<"$help" || fail "--help does not show '$shown'"
done
grep -q "TEXT" <<<"$help" && fail "--help still shows TEXT: $(grep TEXT <<<"$help")"

((failures == 0)) || exit 1
echo "netwardend_cli_test: ok"
