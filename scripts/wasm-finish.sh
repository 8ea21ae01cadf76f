#!/usr/bin/env bash
# wasm-bindgen + wasm-opt for one cargo-built module, when it changed.
# Usage: wasm-finish.sh <cargo .wasm> <out-name> [extra wasm-opt flags]
#   (writes pkg/wasm/<out-name>{.js,_bg.wasm,...})
set -euo pipefail
src="$1"; name="$2"; extra="${3:-}"; out="pkg/wasm/${name}_bg.wasm"
if [ -f "$out" ] && [ ! "$src" -nt "$out" ]; then exit 0; fi
echo "[wasm] wasm-bindgen + wasm-opt ${WASM_OPT:--O2} $extra: $name"
wasm-bindgen --target web --out-dir pkg/wasm --out-name "$name" "$src"
# npm binaryen 132 (Debian's wasm-opt 108 silently breaks the module).
# shellcheck disable=SC2086 # $extra is a list of flags
node_modules/.bin/wasm-opt "${WASM_OPT:--O2}" $extra \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  "$out" -o "$out.opt"
mv "$out.opt" "$out"
