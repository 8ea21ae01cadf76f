#!/usr/bin/env bash
# Builds bench/ssz-compare four times for wasm (no implementation, in-house,
# sigp, ssz_rs; profile wasm-release = the core's opt-level z, + wasm-opt -O2
# as the package ships), checks natively that all three agree on the inputs,
# then times them side by side in node (bench.mjs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
cd "$here"
cargo test --release --features inhouse,sigp,sszrs -- --nocapture
mkdir -p out
for f in none inhouse sigp sszrs; do
  feat=(); [ "$f" = none ] || feat=(--features "$f")
  cargo build --profile wasm-release --lib --target wasm32-unknown-unknown "${feat[@]}" --target-dir "target/wasm-$f"
  "$root/node_modules/.bin/wasm-opt" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "target/wasm-$f/wasm32-unknown-unknown/wasm-release/ssz_compare.wasm" -o "out/$f.wasm"
done
node bench.mjs
