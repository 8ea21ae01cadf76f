# preconf-light: the README's two commands are `make demo` and `make test`.
# Both install what is missing (idempotently) before they build.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/wasm-release/preconf_light.wasm
PKG_WASM := pkg/wasm/preconf_light_bg.wasm
DEMO_PORT ?= 8645
# Gzip budgets of the shipped .wasm files, in bytes (docs/BENCHMARKS.md,
# "Bundle size"), checked on the files inside the packed tarball.
# The core: everything a wallet needs on first use.
WASM_GZIP_BUDGET ?= 307200
# The lazily loaded EVM module (revm and its precompiles).
WASM_EVM_GZIP_BUDGET ?= 460800
# The lazily loaded SP1 module (arkworks Groth16/Plonk, verifying keys).
WASM_SP1_GZIP_BUDGET ?= 163840
# The lazily loaded beacon block decoder.
WASM_BLOCKS_GZIP_BUDGET ?= 131072

export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: help tools node-deps wasm pkg-build pkg demo-build demo devnet devnet-dev test \
        contracts contracts-build fmt clippy test-native test-wasm-node test-wasm-browser test-pkg test-bundler test-demo size bench bench-wasm \
        fuzz-smoke fuzz-campaign soak-e2e

help:
	@echo "make demo   build everything, start the devnet and the demo page on 127.0.0.1:$(DEMO_PORT)"
	@echo "make test   every check: fmt, clippy, native + wasm (node, Chromium) tests, npm package, demo, size"
	@echo "make pkg    build the npm package and print the tarball path"
	@echo "make contracts  check the committed inbox bytecode against a fresh solc compile"
	@echo "make bench  native criterion benchmarks; make bench-wasm: wasm vs peers in node"

tools:
	@bash scripts/install-tools.sh

node-deps: tools
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

# Four modules: the core (no EVM, no SP1 curve code, no beacon block
# decoder), and the EVM, SP1 and blocks modules the package loads on first
# use (features wasm-evm / wasm-sp1 / wasm-blocks, own target dirs so the
# builds do not evict each other). wasm-opt -O2 (npm binaryen 132) cuts ~8% of the gzip size and
# keeps the BLS speed (docs/BENCHMARKS.md).
export WASM_OPT ?= -O2
# The core also stops wasm-opt from inlining large functions that have one
# caller (binaryen inlines those at any size by default): -6.3% gzip, and BLS
# verify faster, not slower (docs/BENCHMARKS.md, "Core size: one-caller inlining").
WASM_OPT_CORE := --one-caller-inline-max-function-size 20
WASM_EVM_DIR := target/wasm-evm
WASM_EVM_OUT := $(WASM_EVM_DIR)/$(WASM_TARGET)/wasm-release/preconf_light.wasm
PKG_EVM_WASM := pkg/wasm/preconf_light_evm_bg.wasm
WASM_SP1_DIR := target/wasm-sp1
WASM_SP1_OUT := $(WASM_SP1_DIR)/$(WASM_TARGET)/wasm-release/preconf_light.wasm
WASM_BLOCKS_DIR := target/wasm-blocks
WASM_BLOCKS_OUT := $(WASM_BLOCKS_DIR)/$(WASM_TARGET)/wasm-release/preconf_light.wasm

wasm: tools node-deps
	cargo build --profile wasm-release --lib --target $(WASM_TARGET) --no-default-features --features bls-blst
	@bash scripts/wasm-finish.sh $(WASM_OUT) preconf_light "$(WASM_OPT_CORE)"
	cargo build --profile wasm-release --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-evm \
	  --target-dir $(WASM_EVM_DIR)
	@bash scripts/wasm-finish.sh $(WASM_EVM_OUT) preconf_light_evm
	cargo build --profile wasm-release --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-sp1 \
	  --target-dir $(WASM_SP1_DIR)
	@bash scripts/wasm-finish.sh $(WASM_SP1_OUT) preconf_light_sp1
	cargo build --profile wasm-release --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-blocks \
	  --target-dir $(WASM_BLOCKS_DIR)
	@bash scripts/wasm-finish.sh $(WASM_BLOCKS_OUT) preconf_light_blocks

pkg-build: wasm node-deps
	rm -rf pkg/dist
	node_modules/.bin/tsc -p pkg/tsconfig.json
	# The output types against the core's (pkg/test/format-check.ts, generated from Rust).
	node_modules/.bin/tsc -p pkg/test/tsconfig.json

pkg: pkg-build
	@cd pkg && rm -f preconf-light-*.tgz && npm pack --loglevel=error >/dev/null && ls "$$PWD"/preconf-light-*.tgz

demo-build: pkg-build
	@bash scripts/build-demo.sh

devnet:
	cargo build --release -p preconf-devnet

# Tests run the devnet's dev build: it reuses test-native's compiled
# dependencies (optimized at opt-level 2 in dev) instead of a release build.
DEVNET_DEV := target/debug/preconf-devnet
devnet-dev:
	cargo build -p preconf-devnet

demo: demo-build devnet
	@echo "demo: http://127.0.0.1:$(DEMO_PORT)/  (set DEMO_PORT to change; Ctrl-C to stop)"
	target/release/preconf-devnet --seed 1 --port $(DEMO_PORT) --root web-demo/build

test: tools node-deps fmt clippy contracts test-native test-wasm-node test-wasm-browser test-pkg test-bundler test-demo size fuzz-smoke
	@echo "make test: all stages passed"

fmt:
	cargo fmt --all --check

# The inbox contract: a fresh compile by the pinned npm solc must match the
# committed bytecode, ABI and storage layout byte for byte (its Rust tests run
# the committed bytecode on revm in test-native).
contracts: node-deps
	node contracts/build.mjs --check

# Recompile the inbox into contracts/out after changing contracts/sol.
contracts-build: node-deps
	node contracts/build.mjs

clippy: tools
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cargo clippy --lib --no-default-features --features bls-zkcrypto -- -D warnings
	# The four shipped wasm modules: the core, the EVM, SP1 and blocks modules.
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features bls-blst -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-evm -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-sp1 -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,wasm-blocks -- -D warnings
	# The benchmark-only wasm build with sp1-verifier's default path (bench/wasm/run-proof.sh).
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features bls-blst,sp1-reference -- -D warnings

test-native:
	# --all-features: the shared BLS tests run against both backends (blst and zkcrypto).
	cargo test --workspace --all-features 2>&1 | tee target/native-tests.log
	@bash scripts/count-tests.sh native target/native-tests.log

test-wasm-node: tools
	cargo test --target $(WASM_TARGET) --test wasm 2>&1 | tee target/wasm-node-tests.log
	@bash scripts/count-tests.sh wasm-node target/wasm-node-tests.log

test-wasm-browser: tools
	WASM_BINDGEN_USE_BROWSER=1 cargo test --target $(WASM_TARGET) --test wasm 2>&1 | tee target/wasm-browser-tests.log
	@grep -q "Loading Wasm module\|headless" target/wasm-browser-tests.log || { echo "browser runner did not start a browser"; exit 1; }
	@bash scripts/count-tests.sh wasm-browser target/wasm-browser-tests.log

test-pkg: pkg devnet-dev
	@PRECONF_DEVNET_BIN=$(CURDIR)/$(DEVNET_DEV) bash scripts/test-pkg.sh

test-bundler: pkg node-deps
	@bash scripts/test-bundler.sh

test-demo: demo-build devnet-dev node-deps
	PRECONF_DEVNET=$(DEVNET_DEV) node --test tests/e2e/

# Sizes of the shipped files, read from the packed tarball.
size: pkg
	@bash scripts/check-size.sh pkg/preconf-light-*.tgz \
	  preconf_light_bg.wasm=$(WASM_GZIP_BUDGET) \
	  preconf_light_evm_bg.wasm=$(WASM_EVM_GZIP_BUDGET) \
	  preconf_light_sp1_bg.wasm=$(WASM_SP1_GZIP_BUDGET) \
	  preconf_light_blocks_bg.wasm=$(WASM_BLOCKS_GZIP_BUDGET)

bench:
	cargo bench

# The long end-to-end soak (seeds 10-15 x 3000 L1 slots, devnet/README.md):
# release optimization with unwinding (profile `soak` in Cargo.toml).
soak-e2e:
	cargo test --profile soak -p preconf-devnet --test e2e -- --ignored --nocapture

# Every cargo-fuzz target for FUZZ_SECONDS each, one job, stable toolchain (scripts/fuzz.sh).
FUZZ_SECONDS ?= 30
fuzz-smoke: tools
	@bash scripts/fuzz.sh smoke $(FUZZ_SECONDS)

# A recorded campaign (docs/BENCHMARKS.md "Fuzzing"): corpus kept in fuzz/corpus, low priority.
FUZZ_CAMPAIGN_SECONDS ?= 1800
fuzz-campaign: tools
	nice -n 19 bash scripts/fuzz.sh campaign $(FUZZ_CAMPAIGN_SECONDS)

# wasm benchmarks in node, side by side with peers installed from npm (bench/peers).
bench-wasm: pkg-build
	cd bench/peers && npm ci --no-audit --no-fund --loglevel=error
	node --import ./bench/peers/force-herumi.mjs bench/peers/bench.mjs
	LODESTAR_BLS=native node bench/peers/bench.mjs | grep lodestar
