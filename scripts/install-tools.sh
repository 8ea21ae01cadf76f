#!/usr/bin/env bash
# Installs what `make test` and `make demo` need, idempotently.
# Fast when everything is present; loud when something cannot be installed.
set -euo pipefail

WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-0.2.130}"
say() { printf '[install-tools] %s\n' "$*"; }

# 1. wasm32 target for the Rust toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown || { echo "ERROR: rustup could not add wasm32-unknown-unknown" >&2; exit 1; }
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${comp}"; then
    rustup component add "$comp"
  fi
done

# 2. Debian packages: clang (blst for wasm), chromium + chromedriver (browser tests).
need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 3. wasm-bindgen CLI at exactly the crate's version.
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  if ! cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" 2>/tmp/wb-install.log; then
    # Its lock file pins webpki-roots 1.0.11, which the registry here does not
    # serve. The failed install has unpacked the source: re-lock that one crate.
    src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasm-bindgen-cli-"$WASM_BINDGEN_VERSION" 2>/dev/null | head -n1 || true)"
    if [ -z "$src" ]; then
      echo "ERROR: wasm-bindgen-cli source not found after failed install; see /tmp/wb-install.log" >&2
      exit 1
    fi
    work="$(mktemp -d)"
    cp -r "$src" "$work/cli"
    (cd "$work/cli" && cargo update -q -p webpki-roots@1.0.11 --precise 1.0.10 && cargo install -q --path . --locked)
    rm -rf "$work"
  fi
fi
wasm-bindgen --version

# 4. cargo-fuzz: `make test` runs every fuzz target for 30 s (scripts/fuzz.sh).
# It runs on the stable toolchain with `-s none` (no sanitizer, so no
# nightly-only `-Z` flag; the coverage instrumentation flags are stable).
CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"
have_cf="$(cargo fuzz --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_cf" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install -q --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" \
    || { echo "ERROR: cargo install cargo-fuzz $CARGO_FUZZ_VERSION failed" >&2; exit 1; }
fi
