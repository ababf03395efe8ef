#!/usr/bin/env bash
# Sets up, builds and runs netwardend in the foreground on the bundled
# example configuration, with its state, socket and ledger key under ./var.
# Stop it with Ctrl-C. Query it from another terminal with:
#   build/ctl/netwardenctl --socket var/netwarden.sock targets
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p var
# The example's ledger key (netwardend(8), "The ledger"), made once.
if [ ! -e var/ledger.key ]; then
  (umask 077 && od -An -v -tx1 -N32 /dev/urandom | tr -d ' \n' > var/ledger.key && echo >> var/ledger.key)
fi
exec build/daemon/netwardend --config config/netwarden.example.toml --state-dir var --socket var/netwarden.sock \
  --ledger-key var/ledger.key
