#!/usr/bin/env bash
# SP1 and EVM in wasm (issues #6, #7), one node process per harness:
#  1. the core wasm (release, features bls-blst + sp1-reference) bound for node
#     into out/: proof.mjs times verifySp1Proof against verifySp1ProofReference
#     (sp1-verifier's default path) in the same module; certificates.mjs also runs on it;
#  2. with SHIPPED=1 (default), the core as shipped (profile wasm-release,
#     wasm-opt -O2, no sp1-reference) into out-shipped/: proof.mjs times our
#     verify from it too, in the same rounds;
#  3. the EVM module (release, features bls-blst + wasm-evm) into out-evm/, the
#     native criterion bench (which dumps its workloads as JSON requests into
#     out-evm/ and prints native medians), then evm.mjs over the same requests.
# Knobs: SHIPPED=0, EVM=0, NATIVE_EVM=0 skip steps; harness knobs in each .mjs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
cd "$root"
export CC_wasm32_unknown_unknown="${CC_wasm32_unknown_unknown:-clang}"
t=wasm32-unknown-unknown

cargo build --release --lib --target $t --no-default-features --features bls-blst,sp1-reference
wasm-bindgen --target nodejs --out-dir "$here/out" --out-name preconf_light \
  target/$t/release/preconf_light.wasm

if [ "${SHIPPED:-1}" = 1 ]; then
  cargo build --profile wasm-release --lib --target $t --no-default-features --features bls-blst
  wasm-bindgen --target nodejs --out-dir "$here/out-shipped" --out-name preconf_light \
    target/$t/wasm-release/preconf_light.wasm
  opt="${WASM_OPT_BIN:-node_modules/.bin/wasm-opt}"   # npm binaryen (make node-deps)
  "$opt" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    "$here/out-shipped/preconf_light_bg.wasm" -o "$here/out-shipped/preconf_light_bg.wasm"
else
  rm -rf "$here/out-shipped"
fi

if [ "${EVM:-1}" = 1 ]; then
  cargo build --release --lib --target $t --no-default-features --features bls-blst,wasm-evm \
    --target-dir target/wasm-evm
  wasm-bindgen --target nodejs --out-dir "$here/out-evm" --out-name preconf_light \
    target/wasm-evm/$t/release/preconf_light.wasm
  if [ "${NATIVE_EVM:-1}" = 1 ]; then
    EVM_BENCH_DUMP="$here/out-evm" cargo bench --bench evm
  fi
fi

cd "$here"
node proof.mjs
node certificates.mjs
if [ "${EVM:-1}" = 1 ]; then node evm.mjs; fi
