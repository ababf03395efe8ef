#!/usr/bin/env bash
# The bash completion for netwardenctl and netwardend: commands, options and
# ids. Ids come from `netwardenctl --json ...`; here a stand-in answers as the
# daemon does, so that the test needs no running daemon.
set -euo pipefail
source "$1/packaging/bash-completion/netwardenctl"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/netwardenctl" <<'STAND_IN'
#!/bin/sh
case "$*" in
  *targets*) echo '{"targets":[{"id":"portal","name":"门户"},{"id":"cs","name":"计算机学院"}]}' ;;
  *incidents*) echo '{"incidents":[{"id":12,"kind":"site_down"},{"id":15,"kind":"harmful_content"}]}' ;;
esac
STAND_IN
chmod +x "$scratch/netwardenctl"

failures=0
expect() {  # expect "WORDS..." "EXPECTED REPLIES"
  local line=$1 want=$2 function=_netwardenctl
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  [[ ${COMP_WORDS[0]} == netwardend ]] && function=_netwardend
  [[ ${COMP_WORDS[0]} == netwardenctl ]] && COMP_WORDS[0]="$scratch/netwardenctl"
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "$function"
  local got="${COMPREPLY[*]}"
  if [[ $got != "$want" ]]; then
    echo "FAIL: '$line' gave '$got', expected '$want'"
    failures=$((failures + 1))
  fi
}

expect "netwardenctl st" "status"
expect "netwardenctl --json in" "incidents"
expect "netwardenctl ack " "12 15"
expect "netwardenctl --socket /tmp/x.sock show 1" "12 15"
expect "netwardenctl approve p" "portal"
expect "netwardenctl cr" "crawl"
expect "netwardenctl crawl c" "cs"
expect "netwardenctl te" "test-notify"
expect "netwardenctl test-notify op --c" "--channel"
expect "netwardenctl maintenance " "portal cs"
expect "netwardenctl maintenance portal --r" "--reason"
expect "netwardenctl resolve 12 --" "--note --as --help"
expect "netwardenctl incidents --a" "--all"
expect "netwardenctl ack 12 --note " ""
expect "netwardend --check" "--check-config"
expect "netwardend --simulate " ""

if ((failures)); then
  echo "$failures failed"
  exit 1
fi
echo "12 passed, 0 failed"
