#!/usr/bin/env bash
# Prints the raw and gzip size of the shipped .wasm; fails above the gzip budget.
set -euo pipefail
wasm="$1"; budget="$2"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
awk -v f="$wasm" -v r="$raw" -v g="$gz" -v b="$budget" 'BEGIN {
  printf "[size] %s: raw %d bytes (%.1f KiB), gzip %d bytes (%.1f KiB), budget %d bytes (%.1f KiB)\n", f, r, r/1024, g, g/1024, b, b/1024 }'
if [ "$gz" -gt "$budget" ]; then
  echo "[size] FAILED: gzip size $gz exceeds the budget $budget" >&2
  exit 1
fi
echo "[size] 1 passed, 0 failed"
