#!/usr/bin/env bash
# Checks the #include lines of every source under common/ config/ probes/
# daemon/ ctl/ against the allowed edges in scripts/deps.allowed (the rules
# of docs/design.md §3). Each violation prints
#   FILE:LINE: FOLDER may not include HEADER
# and the script exits 1; it exits 2 when a folder has no row.
#   scripts/check-deps.sh [ROOT]    ROOT: the tree to check (default: this one)
# Needs no root and no build: plain find and awk.
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"
[[ -f scripts/deps.allowed ]] || { echo "check-deps: no scripts/deps.allowed in $root" >&2; exit 2; }

mapfile -d '' sources < <(find common config probes daemon ctl -type f \( -name '*.h' -o -name '*.cc' -o -name '*.c' \) -print0 | sort -z)
exec awk '
    # scripts/deps.allowed: row key -> its entries; every "<..." entry is a guarded external prefix.
    FNR == NR {
      sub(/#.*/, "")
      if (NF == 0) next
      rows[$1] = 1
      for (i = 2; i <= NF; i++) {
        allowed[$1, i - 1] = $i
        if (substr($i, 1, 1) == "<") guarded[$i] = 1
      }
      count[$1] = NF - 1
      next
    }
    FNR == 1 {
      file = FILENAME
      dir = file; sub(/[^\/]*$/, "", dir)
      key = (file in rows) ? file : dir
      if (!(key in rows)) {
        printf "%s: %s has no row in scripts/deps.allowed\n", file, dir
        missing = 1
        nextfile
      }
    }
    /^[ \t]*#[ \t]*include[ \t]*[<"]/ {
      line = $0
      sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
      if (substr(line, 1, 1) == "\"") {
        header = substr(line, 2); sub(/".*/, "", header)
        shown = "\"" header "\""
        hdir = header; sub(/[^\/]*$/, "", hdir)
        if (key == dir && hdir == dir) next
        what = header
      } else {
        what = line; sub(/>.*/, ">", what)
        shown = what
        checked = 0
        for (g in guarded) if (index(what, g) == 1) { checked = 1; break }
        if (!checked) next
      }
      for (i = 1; i <= count[key]; i++) if (index(what, allowed[key, i]) == 1) next
      name = key; sub(/\/$/, "", name)
      printf "%s:%d: %s may not include %s\n", file, FNR, name, shown
      bad = 1
    }
    END { exit missing ? 2 : bad ? 1 : 0 }
  ' scripts/deps.allowed "${sources[@]}"
