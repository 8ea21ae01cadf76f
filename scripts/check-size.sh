#!/usr/bin/env bash
# Gzip size gate of every shipped .wasm, measured on the files inside the
# packed npm tarball (what a wallet downloads).
# Usage: check-size.sh <package.tgz> <file.wasm>=<gzip budget bytes> ...
# Fails if a file is over its budget, is missing, or if the tarball ships a
# .wasm that has no budget.
set -euo pipefail
tgz="$1"; shift
[ -f "$tgz" ] || { echo "[size] no tarball at $tgz (run make pkg)" >&2; exit 1; }
passed=0; failed=0
listing="$(tar -tzf "$tgz")"
declare -A budget
for pair in "$@"; do budget["${pair%%=*}"]="${pair#*=}"; done
while read -r path; do
  name="${path##*/}"
  if [ -z "${budget[$name]:-}" ]; then
    echo "[size] FAILED: $path is shipped but has no budget" >&2; failed=$((failed + 1))
  fi
done < <(grep '\.wasm$' <<< "$listing")
for name in "${!budget[@]}"; do
  b="${budget[$name]}"
  if ! grep -qx "package/wasm/$name" <<< "$listing"; then
    echo "[size] FAILED: package/wasm/$name is not in $tgz" >&2; failed=$((failed + 1)); continue
  fi
  raw=$(tar -xzOf "$tgz" "package/wasm/$name" | wc -c)
  gz=$(tar -xzOf "$tgz" "package/wasm/$name" | gzip -9 -c | wc -c)
  awk -v f="$name" -v r="$raw" -v g="$gz" -v b="$b" 'BEGIN {
    printf "[size] %s: raw %d bytes (%.1f KiB), gzip %d bytes (%.1f KiB), budget %d bytes (%.1f KiB)\n", f, r, r/1024, g, g/1024, b, b/1024 }'
  if [ "$gz" -gt "$b" ]; then
    echo "[size] FAILED: $name gzip size $gz exceeds the budget $b" >&2; failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done
echo "[size] $passed passed, $failed failed"
[ "$failed" -eq 0 ]
