#!/bin/sh
# Fails when groff has anything to say about the man pages given: -ww turns
# on every warning, -k reads UTF-8 through preconv, -z drops the output.
status=0
for page; do
  warnings=$(LC_ALL=C.UTF-8 groff -k -man -Tutf8 -ww -z "$page" 2>&1)
  if [ -n "$warnings" ]; then
    printf '%s\n' "$warnings"
    status=1
  fi
done
exit $status
