#!/usr/bin/env bash
# scripts/check-deps.sh: passes on the tree as it is, and names the file and
# line of an include that breaks the rules of scripts/deps.allowed. Each case
# runs on a fresh copy of the sources in a scratch directory.
set -euo pipefail
source_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fresh() {
  rm -rf "$scratch/tree"
  mkdir "$scratch/tree"
  cp -r "$source_dir"/{common,config,probes,daemon,ctl,scripts} "$scratch/tree"
}

failures=0
# expect WANT_STATUS WANT_OUTPUT: runs the check on the copy.
expect() {
  local want_status=$1 want=$2 got status=0
  got=$(bash "$scratch/tree/scripts/check-deps.sh" "$scratch/tree" 2>&1) || status=$?
  if [[ $status != "$want_status" || $got != "$want" ]]; then
    printf 'FAIL (%s): want status %s and\n%s\ngot status %s and\n%s\n' "$case" "$want_status" "$want" "$status" "$got"
    failures=$((failures + 1))
  fi
}

# append FILE LINE: adds LINE at the end of FILE in the copy; prints its number.
append() {
  echo "$2" >>"$scratch/tree/$1"
  wc -l <"$scratch/tree/$1"
}

case="unmodified tree"
fresh
expect 0 ""

case="core includes the store"
fresh
n=$(append daemon/core/incident_engine.cc '#include "daemon/store/store.h"')
expect 1 "daemon/core/incident_engine.cc:$n: daemon/core may not include \"daemon/store/store.h\""

case="core includes Asio"
fresh
n=$(append daemon/core/web_check.h '#include <boost/asio.hpp>')
expect 1 "daemon/core/web_check.h:$n: daemon/core may not include <boost/asio.hpp>"

case="both at once, in file order"
fresh
n=$(append daemon/core/web_check.h '#  include <openssl/evp.h>')
m=$(append daemon/core/incident.cc '#include "probes/web/http_fetcher.h"')
expect 1 "daemon/core/incident.cc:$m: daemon/core may not include \"probes/web/http_fetcher.h\"
daemon/core/web_check.h:$n: daemon/core may not include <openssl/evp.h>"

case="the config model includes the loader (a file row allows only what it lists)"
fresh
n=$(append config/config.h '#include "config/load_config.h"')
expect 1 "config/config.h:$n: config/config.h may not include \"config/load_config.h\""

case="the store includes SQLite (allowed) and the core (not)"
fresh
append daemon/store/store.cc '#include <sqlite3.h>' >/dev/null
n=$(append daemon/store/store.cc '#include "daemon/core/incident.h"')
expect 1 "daemon/store/store.cc:$n: daemon/store may not include \"daemon/core/incident.h\""

case="a folder without a row"
fresh
mkdir "$scratch/tree/daemon/newcomer"
echo '#include "common/time.h"' >"$scratch/tree/daemon/newcomer/thing.cc"
expect 2 "daemon/newcomer/thing.cc: daemon/newcomer/ has no row in scripts/deps.allowed"

if ((failures)); then
  echo "$failures failed"
  exit 1
fi
echo "7 passed, 0 failed"
