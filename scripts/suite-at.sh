#!/usr/bin/env bash
# Runs the jest suite once per instant given, with the clock of every process faked to start there (libfaketime, from
# Debian's faketime package; a developer's check, not needed by `npm test`), and prints one line per run.
#   scripts/suite-at.sh '2026-12-06 23:57:00 UTC' '2026-12-07 23:57:00 UTC' -- [jest arguments]
# Each run starts at its instant and runs on from there, so one that starts at 23:57 UTC crosses midnight.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(find /usr/lib -name 'libfaketime.so.1' -path '*faketime*' 2>/dev/null | head -n 1)
if [ -z "$lib" ]; then
  echo "libfaketime not found: apt-get install faketime (only this check needs it)" >&2
  exit 2
fi
instants=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do instants+=("$1"); shift; done
[ $# -gt 0 ] && shift
status=0
for at in "${instants[@]}"; do
  offset=$(( $(date -u -d "$at" +%s) - $(date -u +%s) ))
  sign=$([ "$offset" -ge 0 ] && echo + || echo '')
  log="test-artifacts/suite-at/$(date -u -d "$at" +%Y-%m-%dT%H%M%S).log"
  mkdir -p "$(dirname "$log")"
  started=$(date +%s)
  if FAKETIME="${sign}${offset}" LD_PRELOAD="$lib" npx jest "$@" >"$log" 2>&1; then result=passed; else result=FAILED; status=1; fi
  echo "$at (a $(date -u -d "$at" +%A), offset ${sign}${offset} s): $result in $(( $(date +%s) - started )) s; $(grep -E '^Tests:' "$log" | tail -n 1); log $log"
done
exit "$status"
