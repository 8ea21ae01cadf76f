#!/usr/bin/env bash
# Builds preconf-light for wasm32 (release), binds it for node, installs the
# pinned bls-eth-wasm and runs bench.mjs: both libraries in ONE node process.
# Extra arguments are passed to cargo build (e.g. --no-default-features --features bls-zkcrypto).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
cd "$root"
CC_wasm32_unknown_unknown="${CC_wasm32_unknown_unknown:-clang}" \
  cargo build --release --lib --target wasm32-unknown-unknown "$@"
wasm-bindgen --target nodejs --out-dir "$here/out" --out-name preconf_light \
  target/wasm32-unknown-unknown/release/preconf_light.wasm
cd "$here"
[ -d node_modules/bls-eth-wasm ] || npm ci --no-audit --no-fund --loglevel=error
node bench.mjs
node certificates.mjs
