#!/usr/bin/env bash
# Sets up, builds and runs netwardend in the foreground on the bundled
# example configuration, with its state and socket under ./var.
# Stop it with Ctrl-C. Query it from another terminal with:
#   build/ctl/netwardenctl --socket var/netwarden.sock targets
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p var
exec build/daemon/netwardend --config config/netwarden.example.toml --state-dir var --socket var/netwarden.sock
