#!/usr/bin/env bash
# Sums the cargo test result lines of a log; fails if nothing ran or anything failed.
# Guards against runners that skip suites and still exit 0.
set -euo pipefail
stage="$1"; log="$2"
read -r passed failed < <(awk '/^test result: /{
    for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
  } END { print p + 0, f + 0 }' "$log")
echo "[$stage] $passed passed, $failed failed"
if [ "$failed" != "0" ] || [ "$passed" = "0" ]; then
  echo "[$stage] FAILED: a suite failed or no test ran" >&2
  exit 1
fi
