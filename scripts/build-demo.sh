#!/usr/bin/env bash
# Assembles web-demo/build: the page, the built npm package, and the real
# mainnet fixtures the page verifies in the browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/web-demo/build"
rm -rf "$out"
mkdir -p "$out/preconf-light" "$out/fixtures"
cp "$root"/web-demo/*.html "$root"/web-demo/*.js "$root"/web-demo/*.css "$out/"
cp -r "$root/pkg/dist" "$root/pkg/wasm" "$out/preconf-light/"
for set in helios/capella-lc zk-light-clients/deneb-committee-change sp1-helios/fulu-lc; do
  mkdir -p "$out/fixtures/$set"
  cp "$root/tests/fixtures/mainnet/$set"/*.json "$out/fixtures/$set/"
done
echo "[demo] built $out"
