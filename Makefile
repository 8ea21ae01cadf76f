# preconf-light: the README's two commands are `make demo` and `make test`.
# Both install what is missing (idempotently) before they build.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/preconf_light.wasm
PKG_WASM := pkg/wasm/preconf_light_bg.wasm
DEMO_PORT ?= 8645
# Gzip budget of the shipped .wasm, in bytes.
WASM_GZIP_BUDGET ?= 460800

export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: help tools node-deps wasm pkg-build pkg demo-build demo devnet test \
        fmt clippy test-native test-wasm-node test-wasm-browser test-pkg test-bundler test-demo size bench bench-wasm

help:
	@echo "make demo   build everything, start the devnet and the demo page on 127.0.0.1:$(DEMO_PORT)"
	@echo "make test   every check: fmt, clippy, native + wasm (node, Chromium) tests, npm package, demo, size"
	@echo "make pkg    build the npm package and print the tarball path"
	@echo "make bench  native criterion benchmarks; make bench-wasm: wasm vs peers in node"

tools:
	@bash scripts/install-tools.sh

node-deps: tools
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

# wasm-opt comes from npm binaryen 132 (Debian's 108 silently breaks the module);
# -O2 cuts ~8% of the gzip size and keeps the BLS speed (docs/BENCHMARKS.md).
WASM_OPT_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
                     --enable-reference-types --enable-multivalue --enable-mutable-globals
WASM_OPT ?= -O2

wasm: tools node-deps
	cargo build --release --lib --target $(WASM_TARGET)
	@if [ ! -f $(PKG_WASM) ] || [ $(WASM_OUT) -nt $(PKG_WASM) ]; then \
	  echo "wasm-bindgen + wasm-opt $(WASM_OPT)"; \
	  wasm-bindgen --target web --out-dir pkg/wasm --out-name preconf_light $(WASM_OUT); \
	  node_modules/.bin/wasm-opt $(WASM_OPT) $(WASM_OPT_FEATURES) $(PKG_WASM) -o $(PKG_WASM).opt; \
	  mv $(PKG_WASM).opt $(PKG_WASM); fi

pkg-build: wasm node-deps
	rm -rf pkg/dist
	node_modules/.bin/tsc -p pkg/tsconfig.json

pkg: pkg-build
	@cd pkg && rm -f preconf-light-*.tgz && npm pack --loglevel=error >/dev/null && ls "$$PWD"/preconf-light-*.tgz

demo-build: pkg-build
	@bash scripts/build-demo.sh

devnet:
	cargo build --release -p preconf-devnet

demo: demo-build devnet
	@echo "demo: http://127.0.0.1:$(DEMO_PORT)/  (set DEMO_PORT to change; Ctrl-C to stop)"
	target/release/preconf-devnet --seed 1 --port $(DEMO_PORT) --root web-demo/build

test: tools node-deps fmt clippy test-native test-wasm-node test-wasm-browser test-pkg test-bundler test-demo size
	@echo "make test: all stages passed"

fmt:
	cargo fmt --all --check

clippy: tools
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cargo clippy --lib --no-default-features --features bls-zkcrypto -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) -- -D warnings

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

test-pkg: pkg
	@bash scripts/test-pkg.sh

test-bundler: pkg node-deps
	@bash scripts/test-bundler.sh

test-demo: demo-build devnet node-deps
	node --test tests/e2e/

size: wasm
	@bash scripts/check-size.sh $(PKG_WASM) $(WASM_GZIP_BUDGET)

bench:
	cargo bench

# wasm benchmarks in node, side by side with peers installed from npm (bench/peers).
bench-wasm: pkg-build
	cd bench/peers && npm ci --no-audit --no-fund --loglevel=error
	node --import ./bench/peers/force-herumi.mjs bench/peers/bench.mjs
	LODESTAR_BLS=native node bench/peers/bench.mjs | grep lodestar
