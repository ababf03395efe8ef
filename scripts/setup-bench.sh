#!/usr/bin/env bash
# Installs the peers bench/compare.py measures netwarden against: Monit and
# Prometheus' blackbox exporter (Debian 12: monit 5.33, blackbox 0.23), and the
# nginx they all check. Idempotent; run as root. Only Debian's archive is needed.
# Not part of the test command: the benchmark is run by hand.
#
# The packages' own services are stopped and disabled: the benchmark starts
# its own instances on loopback with its own configs, and a service left
# running would check Debian's example config and take CPU from the figures.
set -euo pipefail

services=(monit prometheus-blackbox-exporter)

# What building and testing netwarden needs (nginx, python3 among it), and the peers.
bash "$(dirname "$0")/setup.sh" monit prometheus-blackbox-exporter util-linux

# Under systemd the units are stopped and kept from starting at boot; without
# it (a container) the postinst may still have started them through their
# init scripts, so those are stopped, and their start links removed.
if [[ -d /run/systemd/system ]]; then
  systemctl disable --now "${services[@]}" >/dev/null 2>&1 || true
else
  for s in "${services[@]}"; do
    if [[ -x /etc/init.d/$s ]]; then
      /etc/init.d/"$s" stop >/dev/null 2>&1 || true
      update-rc.d "$s" disable >/dev/null 2>&1 || true
    fi
  done
fi

# Say so when one still runs (started some other way): it would take CPU from
# the figures, and stopping someone's own process is not this script's call.
for exe in monit prometheus-blackbox-exporter; do
  if pids=$(pidof "$exe"); then
    echo "setup-bench.sh: warning: $exe still runs (pid $pids); stop it before benchmarking" >&2
  fi
done
echo "setup-bench.sh: monit $(dpkg-query -W -f='${Version}' monit)," \
  "prometheus-blackbox-exporter $(dpkg-query -W -f='${Version}' prometheus-blackbox-exporter) installed, services stopped"
